#include "thermal_net.h"

#include "common/errors.h"
#include "physics_baseline.h"


namespace chiptherm::ai_predictor
{
  namespace
  {
    torch::nn::Sequential double_conv(int in, int out)
    {
      namespace nn = torch::nn;
      return nn::Sequential(nn::Conv2d(nn::Conv2dOptions(in, out, 3).padding(1).padding_mode(torch::kReplicate)),
                            nn::GELU(),
                            nn::Conv2d(nn::Conv2dOptions(out, out, 3).padding(1).padding_mode(torch::kReplicate)),
                            nn::GELU());
    }
  } // namespace

  ThermalUNetImpl::ThermalUNetImpl(const NetArchitecture &a)
    : arch_(a)
  {
    int channels = a.in_channels;
    for (int l = 0; l < a.levels; ++l)
      {
        const int out = a.width << l;
        down_.push_back(register_module("down" + std::to_string(l), double_conv(channels, out)));
        channels = out;
      }
    bottom_ = register_module("bottom", double_conv(channels, channels));
    for (int l = a.levels - 1; l >= 0; --l)
      {
        const int skip = a.width << l;
        upsample_.push_back(register_module("upsample" + std::to_string(l),
                                            torch::nn::ConvTranspose2d(
                                              torch::nn::ConvTranspose2dOptions(channels, skip, 2).stride(2))));
        up_.push_back(register_module("up" + std::to_string(l), double_conv(2 * skip, skip)));
        channels = skip;
      }
    head_ = register_module("head", torch::nn::Conv2d(torch::nn::Conv2dOptions(channels, 1, 1)));
  }

  torch::Tensor ThermalUNetImpl::forward(torch::Tensor x)
  {
    // The last input channel is the physics baseline: the network learns a
    // correction to it, so an untrained network already predicts the baseline.
    const auto baseline = x.slice(1, arch_.in_channels - 1, arch_.in_channels);
    std::vector<torch::Tensor> skips;
    for (auto &d : down_)
      {
        x = d->forward(x);
        skips.push_back(x);
        x = torch::max_pool2d(x, 2);
      }
    x = bottom_->forward(x);
    for (std::size_t i = 0; i < up_.size(); ++i)
      {
        x = upsample_[i]->forward(x);
        x = up_[i]->forward(torch::cat({x, skips[skips.size() - 1 - i]}, 1));
      }
    return baseline + head_->forward(x);
  }

  std::int64_t ThermalUNetImpl::parameter_count() const
  {
    std::int64_t n = 0;
    for (const auto &p : parameters())
      n += p.numel();
    return n;
  }

  torch::Tensor network_input(const DieRaster &raster, double *scale_k)
  {
    const int  channels = int(DieRaster::channel_names().size());
    auto       x        = torch::empty({1, channels + 1, raster.rows, raster.cols});
    std::memcpy(x.data_ptr<float>(), raster.data.data(), raster.data.size() * sizeof(float));
    const auto b     = physics_baseline(raster);
    if (scale_k)
      *scale_k = b.scale_k;
    auto       slice = x[0][channels];
    auto       acc   = slice.accessor<float, 2>();
    for (int row = 0; row < raster.rows; ++row)
      for (int col = 0; col < raster.cols; ++col)
        acc[row][col] = float(b.rise_k[std::size_t(row) * raster.cols + col] / b.scale_k);
    // Power relative to the die's mean density: heat conduction is linear in
    // power and the output is relative to the package model's mean rise, so
    // the network sees a 300 W die like a 30 W one of the same shape instead
    // of extrapolating beyond the densities it was trained on.
    const int die_c = DieRaster::channel("die"), power_c = DieRaster::channel("power");
    double    power = 0, area = 0;
    for (int row = 0; row < raster.rows; ++row)
      for (int col = 0; col < raster.cols; ++col)
        power += raster.at(power_c, row, col), area += raster.at(die_c, row, col);
    if (power > 0)
      x[0][power_c].mul_(float(area / power));
    return x;
  }

  void save_model(const std::string &path, ThermalUNet &net, const ModelRecord &record)
  {
    torch::serialize::OutputArchive archive;
    net->save(archive);
    archive.write("chiptherm_record", c10::IValue(model_record_text(record)));
    archive.save_to(path);
  }

  ThermalUNet load_model(const std::string &path, ModelRecord &record)
  {
    const SourceLocation            where{path, -1, ""};
    torch::serialize::InputArchive  archive;
    try
      {
        archive.load_from(path);
      }
    catch (const c10::Error &)
      {
        throw InputError(where, "cannot read a predictor model here (a file written by `chiptherm train` expected)");
      }
    c10::IValue value;
    if (!archive.try_read("chiptherm_record", value) || !value.isString())
      throw InputError(where, "not a chiptherm predictor model: it has no chiptherm record (a bare torch::save file?)");
    record = parse_model_record(value.toStringRef(), DieRaster::channel_names(), where);
    ThermalUNet net(record.architecture);
    try
      {
        net->load(archive);
      }
    catch (const c10::Error &e)
      {
        throw InputError(where, "the model's weights do not match its recorded architecture");
      }
    net->eval();
    return net;
  }
} // namespace chiptherm::ai_predictor
