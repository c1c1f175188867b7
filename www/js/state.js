// The run's configuration: the reference config of the ring8 workload, and the dataset registry.
// (The full property table that also drives the URL comes with the playground.)

export const DATASETS = ['ring', 'grid', 'spiral', 'moons', 'circles', 'disjoint', 'line', 'gaussian'];

/** Reference config: ring of 8, 3×64 ReLU MLPs, non-saturating loss, Adam(1e-3, 0.5, 0.999), batch 256. */
export function defaultConfig() {
  const adam = { kind: 'adam', lr: 1e-3, beta1: 0.5, beta2: 0.999 };
  return {
    dataset: 'ring',
    seed: 1,
    batch_size: 256,
    k_d: 1,
    k_g: 1,
    objective: 'non_saturating',
    generator: { latent_dim: 2, noise: 'gaussian', hidden_layers: 3, width: 64, activation: 'relu' },
    discriminator: { hidden_layers: 3, width: 64, activation: 'relu' },
    optim_g: { ...adam },
    optim_d: { ...adam },
  };
}
