#include "trainer.h"

#include "physics_baseline.h"


#include <algorithm>
#include <map>
#include <numeric>
#include <random>

namespace chiptherm::ai_predictor
{
  namespace
  {
    struct Prepared
    {
      torch::Tensor input, target, mask; ///< [C, R, K], [1, R, K], [1, R, K]; mask: the loss's pixel weights
    };

    /// mask = die share x (1 + hot_weight x rise / die mean rise): hot pixels, where
    /// peak errors are made, weigh more.
    Prepared prepare(const TrainingSample &s, double hot_weight)
    {
      Prepared p;
      double scale   = 1;
      p.input        = network_input(s.raster, &scale)[0];
      p.target = torch::from_blob(const_cast<float *>(s.rise_k.data()), {1, s.raster.rows, s.raster.cols}).clone() /
                 float(scale);
      p.mask = p.input.slice(0, DieRaster::channel("die"), DieRaster::channel("die") + 1).clone() *
               (1 + float(hot_weight) * p.target.clamp_min(0));
      return p;
    }

    /// One of the 8 symmetries of the square (k quarter turns, then an optional flip).
    torch::Tensor transform(const torch::Tensor &t, int which)
    {
      auto r = torch::rot90(t, which % 4, {-2, -1});
      return which >= 4 ? torch::flip(r, {-1}) : r;
    }

    double masked_mse(const torch::Tensor &prediction, const torch::Tensor &target, const torch::Tensor &mask)
    {
      return ((prediction - target).pow(2) * mask).sum().item<double>() / std::max(mask.sum().item<double>(), 1.0);
    }

    /// Batches of samples of the same raster size.
    std::vector<std::vector<std::size_t>> batches(const std::vector<Prepared> &data, const std::vector<std::size_t> &order,
                                                  int size)
    {
      std::map<std::pair<std::int64_t, std::int64_t>, std::vector<std::size_t>> by_size;
      std::vector<std::vector<std::size_t>>                                     out;
      for (const auto i : order)
        {
          auto &b = by_size[{data[i].input.size(1), data[i].input.size(2)}];
          b.push_back(i);
          if (int(b.size()) == size)
            out.push_back(std::move(b)), b.clear();
        }
      for (auto &[key, b] : by_size)
        if (!b.empty())
          out.push_back(b);
      return out;
    }

    double evaluate(ThermalUNet &net, const std::vector<Prepared> &data, const std::vector<std::size_t> &which)
    {
      if (which.empty())
        return 0;
      torch::NoGradGuard no_grad;
      net->eval();
      double sum = 0;
      for (const auto i : which)
        sum += masked_mse(net->forward(data[i].input.unsqueeze(0))[0], data[i].target, data[i].mask);
      return sum / which.size();
    }
  } // namespace

  void split_samples(const std::vector<TrainingSample> &all, double held_out_share, std::uint64_t seed,
                     std::vector<TrainingSample> &train, std::vector<TrainingSample> &held_out)
  {
    std::vector<std::size_t> order(all.size());
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 rng(seed);
    std::shuffle(order.begin(), order.end(), rng);
    const std::size_t n_held =
      all.size() > 1 ? std::min(all.size() - 1, std::size_t(std::round(held_out_share * all.size()))) : 0;
    train.clear(), held_out.clear();
    for (std::size_t i = 0; i < order.size(); ++i)
      (i < order.size() - n_held ? train : held_out).push_back(all[order[i]]);
  }

  TrainHistory train_network(ThermalUNet &net, const std::vector<TrainingSample> &train_samples,
                             const std::vector<TrainingSample> &held_out_samples, const TrainSettings &settings,
                             const std::function<void(int, double, double)> &progress)
  {
    torch::set_num_threads(settings.threads);
    torch::manual_seed(settings.seed);
    std::mt19937_64 rng(settings.seed);

    std::vector<Prepared> data;
    for (const auto &s : train_samples)
      data.push_back(prepare(s, settings.hot_weight));
    for (const auto &s : held_out_samples)
      data.push_back(prepare(s, settings.hot_weight));
    std::vector<std::size_t> train(train_samples.size()), held(held_out_samples.size());
    std::iota(train.begin(), train.end(), 0);
    std::iota(held.begin(), held.end(), train_samples.size());

    TrainHistory history;
    history.train_samples    = train.size();
    history.held_out_samples = held.size();
    torch::optim::Adam optimizer(net->parameters(), torch::optim::AdamOptions(settings.learning_rate));
    std::uniform_int_distribution<int> symmetry(0, 7);
    for (int epoch = 0; epoch < settings.epochs; ++epoch)
      {
        // cosine decay of the learning rate over the run
        const double lr = settings.learning_rate * 0.5 * (1 + std::cos(M_PI * epoch / std::max(1, settings.epochs)));
        for (auto &group : optimizer.param_groups())
          static_cast<torch::optim::AdamOptions &>(group.options()).lr(lr);
        net->train();
        std::shuffle(train.begin(), train.end(), rng);
        double loss_sum = 0;
        int    steps    = 0;
        for (const auto &batch : batches(data, train, settings.batch_size))
          {
            const int                  which = settings.augment ? symmetry(rng) : 0;
            std::vector<torch::Tensor> x, y, m;
            for (const auto i : batch)
              {
                x.push_back(transform(data[i].input, which));
                y.push_back(transform(data[i].target, which));
                m.push_back(transform(data[i].mask, which));
              }
            const auto mask = torch::stack(m);
            optimizer.zero_grad();
            const auto prediction = net->forward(torch::stack(x));
            const auto loss       = ((prediction - torch::stack(y)).pow(2) * mask).sum() / mask.sum().clamp_min(1.0);
            loss.backward();
            optimizer.step();
            loss_sum += loss.item<double>();
            ++steps;
          }
        history.train_loss.push_back(steps ? loss_sum / steps : 0);
        history.held_out_loss.push_back(evaluate(net, data, held));
        if (progress)
          progress(epoch, history.train_loss.back(), history.held_out_loss.back());
      }
    net->eval();
    return history;
  }

  std::vector<float> predict_rise(ThermalUNet &net, const DieRaster &raster)
  {
    torch::NoGradGuard no_grad;
    net->eval();
    double       scale = 1;
    const auto   y     = net->forward(network_input(raster, &scale)).contiguous();
    std::vector<float> rise(y.data_ptr<float>(), y.data_ptr<float>() + y.numel());
    for (auto &v : rise)
      v = float(v * scale);
    return rise;
  }

  std::vector<float> predict_rise(ThermalUNet &net, const ModelDomain &domain, const DieRaster &raster,
                                  std::string *fallback)
  {
    const auto reason = domain.outside(raster);
    if (fallback)
      *fallback = reason;
    return reason.empty() ? predict_rise(net, raster) : physics_baseline(raster).rise_k;
  }
} // namespace chiptherm::ai_predictor
