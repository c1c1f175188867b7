//! The playground's gradient step on the host for the CPU device in the browser: the forward and
//! backward passes of both MLPs as a handful of dense products ([`crate::kernel::gemm`]), with the
//! losses' derivatives from [`crate::loss::host`]. Only the gradients go back to burn: burn's
//! optimisers still update the weights and keep their state, so saving, loading, rollback, the
//! explained round and the WebGPU path are the same as without it.

use super::{TrainConfig, Trainer};
use crate::data::Rng;
use crate::model::params::SavedParam;
use crate::kernel::{Layout, gemm, transpose};
use crate::loss;
use crate::model::{Activation, Mlp};
use crate::readback::{block_on, read_f32};
use burn::module::ParamId;
use burn::optim::GradientsParams;
use burn::tensor::{Device, Tensor, TensorData, Transaction};

fn activate(f: Activation, y: &mut [f32]) {
    match f {
        // NaN stays NaN (as in burn's relu), so a diverged network reads as one.
        Activation::Relu => y.iter_mut().for_each(|v| *v = if v.is_nan() || *v > 0.0 { *v } else { 0.0 }),
        Activation::LeakyRelu => y.iter_mut().for_each(|v| *v = if *v > 0.0 { *v } else { 0.2 * *v }),
        Activation::Tanh => y.iter_mut().for_each(|v| *v = v.tanh()),
        Activation::Elu => y.iter_mut().for_each(|v| *v = if *v > 0.0 { *v } else { v.exp_m1() }),
    }
}

/// `dy ← dy · f′`, with f′ taken from the activation's output `y` (each of the four is monotone, so
/// the output tells the side of the kink, and tanh′ = 1 − y², ELU′ = y + 1 below zero).
fn activate_backward(f: Activation, y: &[f32], dy: &mut [f32]) {
    let each = |g: &dyn Fn(f32) -> f32, dy: &mut [f32]| dy.iter_mut().zip(y).for_each(|(d, &y)| *d *= g(y));
    match f {
        Activation::Relu => each(&|y| if y.is_nan() || y > 0.0 { 1.0 } else { 0.0 }, dy),
        Activation::LeakyRelu => each(&|y| if y > 0.0 { 1.0 } else { 0.2 }, dy),
        Activation::Tanh => each(&|y| 1.0 - y * y, dy),
        Activation::Elu => each(&|y| if y > 0.0 { 1.0 } else { y + 1.0 }, dy),
    }
}

/// One dense layer on the host: `w` is `[d_in, d_out]` row-major (burn's `Linear` layout).
struct Layer {
    w: Vec<f32>,
    b: Vec<f32>,
    d_in: usize,
    d_out: usize,
    ids: (ParamId, ParamId),
}

/// An MLP's weights, read from burn once per update.
pub(crate) struct HostMlp {
    layers: Vec<Layer>,
    activation: Activation,
}

impl HostMlp {
    /// A network from saved parameters in visiting order (each layer's weight `[d_in, d_out]`,
    /// then its bias `[d_out]`); None where they do not chain up that way.
    fn from_saved(params: &[SavedParam], activation: Activation) -> Option<HostMlp> {
        let layers = params
            .chunks(2)
            .map(|pair| match pair {
                [w, b] if w.shape.len() == 2 && b.shape == [w.shape[1]] => {
                    Some(Layer { w: w.values.clone(), b: b.values.clone(), d_in: w.shape[0], d_out: w.shape[1], ids: Default::default() })
                }
                _ => None,
            })
            .collect::<Option<Vec<_>>>()?;
        let chained = layers.windows(2).all(|p| p[0].d_out == p[1].d_in);
        (chained && !layers.is_empty()).then_some(HostMlp { layers, activation })
    }
}

/// Whether saved networks compute finite outputs: the generator on 256 latent samples, the
/// discriminator on those points and on a 16 × 16 grid over the plane. Finite weights can still
/// overflow (every weight 3e38 does), and a run that starts from there can only diverge; a model
/// file is checked with this before it is loaded. `generators`: G and, where on, its average.
pub(crate) fn finite_outputs(config: &TrainConfig, generators: &[&[SavedParam]], d: &[SavedParam]) -> Result<(), String> {
    let g_cfg = &config.generator;
    let d_net = HostMlp::from_saved(d, config.discriminator.activation).ok_or("the discriminator's layers do not fit together")?;
    let n = 256;
    let z = g_cfg.noise.sample(&mut Rng::new(0), n, g_cfg.latent_dim);
    let grid: Vec<f32> = (0..16 * 16).flat_map(|i| [-3.0 + 0.4 * (i % 16) as f32, -3.0 + 0.4 * (i / 16) as f32]).collect();
    let finite = |v: &[f32]| v.iter().all(|x| x.is_finite());
    if !finite(d_net.forward(grid, 256).last().map_or(&[][..], |v| v)) {
        return Err("the discriminator's outputs overflow (its weights are far too large)".into());
    }
    for g in generators {
        let g_net = HostMlp::from_saved(g, g_cfg.activation).ok_or("the generator's layers do not fit together")?;
        if g_net.layers.first().map(|l| l.d_in) != Some(g_cfg.latent_dim) || g_net.layers.last().map(|l| l.d_out) != Some(2) {
            return Err("the generator's layers do not fit its config".into());
        }
        let points = g_net.forward(z.clone(), n).pop().unwrap_or_default();
        if !finite(&points) {
            return Err("the generator's outputs overflow (its weights are far too large)".into());
        }
        if !finite(d_net.forward(points, n).last().map_or(&[][..], |v| v)) {
            return Err("the discriminator's outputs overflow on the generated points".into());
        }
    }
    Ok(())
}

/// Reads the weights of several MLPs in one transaction (on the CPU device it is ready at once).
pub(crate) fn read(nets: &[&Mlp]) -> Result<Vec<HostMlp>, String> {
    let mut t = Transaction::default();
    for net in nets {
        for layer in net.linears() {
            let bias = layer.bias.as_ref().ok_or("a layer without a bias")?;
            t = t.register(layer.weight.val()).register(bias.val());
        }
    }
    let mut values = block_on(read_f32(t))?.into_iter();
    Ok(nets
        .iter()
        .map(|net| HostMlp {
            activation: net.activation(),
            layers: net
                .linears()
                .iter()
                .map(|layer| {
                    let [d_in, d_out] = layer.weight.shape().dims();
                    let bias_id = layer.bias.as_ref().map(|b| b.id).unwrap_or_default();
                    Layer { w: values.next().unwrap_or_default(), b: values.next().unwrap_or_default(), d_in, d_out, ids: (layer.weight.id, bias_id) }
                })
                .collect(),
        })
        .collect())
}

#[cfg(test)]
impl HostMlp {
    /// Every weight and bias, layer by layer.
    pub(crate) fn values(&self) -> Vec<f32> {
        self.layers.iter().flat_map(|l| l.w.iter().chain(&l.b).copied()).collect()
    }
}

/// Weight and bias gradients, one pair per layer.
pub(crate) struct Grads(Vec<(Vec<f32>, Vec<f32>)>);

impl HostMlp {
    /// The output of every layer for `x` (`[rows, d_in]`), the input first: what the backward pass needs.
    pub(crate) fn forward(&self, x: Vec<f32>, rows: usize) -> Vec<Vec<f32>> {
        let last = self.layers.len() - 1;
        let mut outs = vec![x];
        for (l, layer) in self.layers.iter().enumerate() {
            let mut y = vec![0.0; rows * layer.d_out];
            gemm(&outs[l], Layout::Rows, &layer.w, Some(&layer.b), &mut y, rows, layer.d_in, layer.d_out);
            if l < last {
                activate(self.activation, &mut y);
            }
            outs.push(y);
        }
        outs
    }

    /// Back from ∂L/∂output `dy` through a forward pass's `outs`: the weight gradients when
    /// `weights`, and ∂L/∂input when `input`.
    pub(crate) fn backward(&self, outs: &[Vec<f32>], mut dy: Vec<f32>, rows: usize, weights: bool, input: bool) -> (Option<Grads>, Option<Vec<f32>>) {
        let last = self.layers.len() - 1;
        let mut grads = Vec::new();
        for (l, layer) in self.layers.iter().enumerate().rev() {
            if l < last {
                activate_backward(self.activation, &outs[l + 1], &mut dy);
            }
            if weights {
                let mut dw = vec![0.0; layer.d_in * layer.d_out];
                gemm(&outs[l], Layout::Transposed, &dy, None, &mut dw, layer.d_in, rows, layer.d_out);
                let mut db = vec![0.0; layer.d_out];
                for row in dy.chunks_exact(layer.d_out) {
                    db.iter_mut().zip(row).for_each(|(s, v)| *s += v);
                }
                grads.push((dw, db));
            }
            if l > 0 || input {
                let mut dx = vec![0.0; rows * layer.d_in];
                gemm(&dy, Layout::Rows, &transpose(&layer.w, layer.d_in, layer.d_out), None, &mut dx, rows, layer.d_out, layer.d_in);
                dy = dx;
            }
        }
        grads.reverse();
        (weights.then_some(Grads(grads)), input.then_some(dy))
    }

    /// The gradients as burn's optimisers take them (on `device`, the trainer's inner device).
    pub(crate) fn to_params(&self, grads: Grads, device: &Device) -> GradientsParams {
        let mut out = GradientsParams::new();
        for (layer, (dw, db)) in self.layers.iter().zip(grads.0) {
            out.register(layer.ids.0, Tensor::<2>::from_data(TensorData::new(dw, [layer.d_in, layer.d_out]), device));
            out.register(layer.ids.1, Tensor::<1>::from_data(TensorData::new(db, [layer.d_out]), device));
        }
        out
    }
}

impl Trainer {
    /// [`Trainer::step_d`] with [`crate::train::fused`]'s gradients: D runs once over the real and the
    /// generated batch stacked, so its weight gradients add up in the products themselves. None
    /// (nothing changed) where the weights could not be read, which the CPU device never does: the
    /// trainer then goes back to burn's autodiff for good.
    pub(super) fn fused_step_d(&mut self, real: &[f32], z: &[f32]) -> Option<()> {
        let n = self.config.batch_size;
        let [g, d] = self.read_host()?;
        let mut x = real.to_vec();
        x.extend(g.forward(z.to_vec(), n).pop()?);
        let outs = d.forward(x, 2 * n);
        let out = outs.last()?;
        let (loss, mut dy, d_fake) = loss::host::d_loss(self.config.objective, &out[..n], &out[n..], self.config.label_smoothing)?;
        dy.extend(d_fake);
        let grads = d.backward(&outs, dy, 2 * n, true, false).0?;
        let grads = d.to_params(grads, &self.device.clone().inner());
        let loss = self.scalar(loss);
        self.apply_d(grads, loss);
        Some(())
    }

    /// [`Trainer::step_g`] with [`crate::train::fused`]'s gradients (through D to G's output, none for
    /// D's weights). None as for [`Trainer::fused_step_d`].
    pub(super) fn fused_step_g(&mut self, z: &[f32]) -> Option<()> {
        let n = self.config.batch_size;
        let [g, d] = self.read_host()?;
        let outs_g = g.forward(z.to_vec(), n);
        let outs_d = d.forward(outs_g.last()?.clone(), n);
        let (loss, dy) = loss::host::g_loss(self.config.objective, outs_d.last()?);
        let dx = d.backward(&outs_d, dy, n, false, true).1?;
        let grads = g.backward(&outs_g, dx, n, true, false).0?;
        let grads = g.to_params(grads, &self.device.clone().inner());
        let loss = self.scalar(loss);
        self.apply_g(grads, loss);
        Some(())
    }

    /// Both networks' weights on the host, for [`crate::train::fused`].
    fn read_host(&mut self) -> Option<[HostMlp; 2]> {
        let nets = read(&[&self.s.g, &self.s.d]).ok().and_then(|v| <[_; 2]>::try_from(v).ok());
        self.fused = nets.is_some();
        nets
    }
}

/// Whether [`crate::train::fused`] takes the gradients on `device`: the CPU device (flex) in the browser.
/// Natively burn's CPU backend multiplies with AVX on every core, which beats the fused kernel from
/// 256 wide (ring8 at batch 256 × width 256: 53 against 15 it/s here), so native runs keep it; the
/// native tests turn the fused path on to check it against burn's autodiff.
pub(super) fn fused_available(device: &Device) -> bool {
    #[cfg(all(feature = "cpu", target_arch = "wasm32"))]
    return *device == Device::flex();
    #[cfg(not(all(feature = "cpu", target_arch = "wasm32")))]
    return {
        let _ = device;
        false
    };
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::data::Dataset;
    use crate::loss::Objective;
    use crate::metrics;
    use crate::model::Activation;
    use crate::readback::block_on;
    use crate::train::{OptimizerConfig, OptimizerKind, TrainConfig, View};


    /// The fused gradients are burn's autodiff gradients: with plain SGD at lr 1, one round moves
    /// every weight by its gradient, so both trainers must end where the other does, for every
    /// objective it takes, every activation, label smoothing, k_D = 2 and an odd batch.
    #[test]
    fn fused_gradients_match_autodiff() {
        let sgd = OptimizerConfig { kind: OptimizerKind::Sgd, lr: 1.0, ..Default::default() };
        let objectives = [Objective::Minimax, Objective::NonSaturating, Objective::LeastSquares, Objective::Hinge, Objective::Wasserstein];
        let activations = [Activation::Relu, Activation::LeakyRelu, Activation::Tanh, Activation::Elu];
        for (i, objective) in objectives.into_iter().enumerate() {
            for activation in activations {
                let mut config = TrainConfig { objective, batch_size: 37, k_d: 2, optim_g: sgd.clone(), optim_d: sgd.clone(), clip: 10.0, ..Default::default() };
                config.label_smoothing = if i % 2 == 0 { 0.1 } else { 0.0 };
                (config.generator.activation, config.discriminator.activation) = (activation, activation);
                (config.generator.width, config.discriminator.width, config.generator.latent_dim) = (20, 13, 3);
                let mut fused = Trainer::new(config.clone(), None, &Device::flex()).unwrap();
                let mut plain = Trainer::new(config, None, &Device::flex()).unwrap();
                (fused.fused, plain.fused) = (true, false);
                let before = read(&[&fused.s.g, &fused.s.d]).unwrap();
                fused.round();
                plain.round();
                let (a, b) = (read(&[&fused.s.g, &fused.s.d]).unwrap(), read(&[&plain.s.g, &plain.s.d]).unwrap());
                for k in 0..2 {
                    let (w0, wa, wb) = (before[k].values(), a[k].values(), b[k].values());
                    let moved = w0.iter().zip(&wb).filter(|(x, y)| x != y).count();
                    assert!(moved > wb.len() / 2, "{objective:?} {activation:?}: the round moved only {moved} of {} weights", wb.len());
                    for (j, (x, y)) in wa.iter().zip(&wb).enumerate() {
                        assert!((x - y).abs() <= 1e-4 * (1.0 + y.abs()), "{objective:?} {activation:?} net {k} weight {j}: fused {x}, autodiff {y}");
                    }
                }
                let (ra, rb) = (block_on(fused.readout(View::points(1))).unwrap(), block_on(plain.readout(View::points(1))).unwrap());
                assert!((ra.d_loss - rb.d_loss).abs() < 1e-4 && (ra.g_loss - rb.g_loss).abs() < 1e-4, "{objective:?}: losses {ra:?} {rb:?}");
            }
        }
    }


    /// The reference config reaches the stated coverage with the fused gradients too (the
    /// browser's CPU path; a wasm test checks it there).
    #[test]
    fn fused_reference_config_covers_the_ring() {
        let modes = Dataset::Ring.modes().unwrap();
        let mut t = Trainer::new(TrainConfig::default(), None, &Device::flex()).unwrap();
        t.fused = true;
        let covered = (1..=10).any(|_| {
            (0..500).for_each(|_| t.round());
            let r = block_on(t.readout(View::points(2000))).unwrap();
            let c = metrics::mode_coverage(&r.fake, &modes, 0.1);
            c.covered >= 7 && c.high_quality >= 0.6
        });
        assert!(covered && t.fused, "the ring was not covered within 5,000 fused iterations");
    }
}
