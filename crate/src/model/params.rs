//! Walking a module's parameters in order: flatten them, blend two modules (the generator's moving
//! average) and load saved values back (keeping the saved parameter ids, which optimiser state is
//! keyed by).

use burn::module::{Module, ModuleMapper, ModuleVisitor, Param, ParamId};
use burn::tensor::{Tensor, TensorData};

/// One parameter's saved values.
#[derive(Clone, Debug, PartialEq)]
pub struct SavedParam {
    pub id: u64,
    pub shape: Vec<usize>,
    pub values: Vec<f32>,
}

/// Every parameter as a flat tensor without autodiff, in visiting order.
pub fn flat<M: Module>(module: &M) -> Vec<Tensor<1>> {
    struct Flat(Vec<Tensor<1>>);
    impl ModuleVisitor for Flat {
        fn visit_float<const D: usize>(&mut self, p: &Param<Tensor<D>>) {
            let t = p.val().inner();
            let n = t.shape().num_elements();
            self.0.push(t.reshape([n]));
        }
    }
    let mut v = Flat(Vec::new());
    module.visit(&mut v);
    v.0
}

/// Every parameter's id and shape, in visiting order.
pub fn ids_and_shapes<M: Module>(module: &M) -> Vec<(u64, Vec<usize>)> {
    struct Ids(Vec<(u64, Vec<usize>)>);
    impl ModuleVisitor for Ids {
        fn visit_float<const D: usize>(&mut self, p: &Param<Tensor<D>>) {
            let shape = p.lazy_shape();
            self.0.push((p.id.val(), (0..D).map(|i| shape[i]).collect()));
        }
    }
    let mut v = Ids(Vec::new());
    module.visit(&mut v);
    v.0
}

/// `average ← decay · average + (1 − decay) · current`, parameter by parameter.
pub fn blend<M: Module>(average: M, current: &M, decay: f32) -> M {
    struct Blend {
        next: std::vec::IntoIter<Tensor<1>>,
        decay: f32,
    }
    impl ModuleMapper for Blend {
        fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
            let decay = self.decay;
            let cur = self.next.next().expect("the modules have the same parameters");
            // Detached: the average is never differentiated, so on the autodiff device it should
            // not join each step's graph to the last one's.
            param.map(|avg| {
                let shape = avg.shape();
                avg.detach() * decay + cur.detach().reshape(shape) * (1.0 - decay)
            })
        }
    }
    average.map(&mut Blend { next: flat(current).into_iter(), decay })
}

/// Replaces every parameter with saved values and ids. Fails (leaving nothing half-loaded, since
/// the caller keeps the original) when the count or a shape differs.
pub fn load<M: Module>(module: M, saved: &[SavedParam]) -> Result<M, String> {
    let expected = ids_and_shapes(&module);
    if expected.len() != saved.len() {
        return Err(format!("expected {} parameter tensors, the file has {}", expected.len(), saved.len()));
    }
    for (i, ((_, shape), s)) in expected.iter().zip(saved).enumerate() {
        if *shape != s.shape {
            return Err(format!("parameter {i} has shape {:?} in the file, the model needs {:?}", s.shape, shape));
        }
        if s.values.len() != shape.iter().product::<usize>() {
            return Err(format!("parameter {i} has {} values for shape {:?}", s.values.len(), shape));
        }
    }
    struct Load<'a> {
        saved: std::slice::Iter<'a, SavedParam>,
    }
    impl ModuleMapper for Load<'_> {
        fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
            let s = self.saved.next().expect("counted above");
            let device = param.lazy_device();
            let tensor = Tensor::<D>::from_data(TensorData::new(s.values.clone(), s.shape.clone()), &device);
            param.transform_for_load(tensor, ParamId::from(s.id))
        }
    }
    Ok(module.map(&mut Load { saved: saved.iter() }))
}
