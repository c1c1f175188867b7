//! Reading tensors back to the host: one batched async read, and a way to wait for it natively.
//!
//! On wasm a synchronous read panics on WebGPU, so every read in ganplay goes through
//! [`read_f32`] (several tensors in one `Transaction`) and is awaited; natively and in tests
//! [`block_on`] waits for it.

use burn::tensor::Transaction;
use std::future::Future;

/// Runs a batched read; every tensor comes back as f32 values, in the order registered.
pub async fn read_f32(read: Transaction) -> Result<Vec<Vec<f32>>, String> {
    let data = read.execute_async().await.map_err(|e| format!("reading from the device failed: {e:?}"))?;
    data.into_iter().map(|d| d.try_into_vec_as::<f32>().map_err(|e| format!("{e:?}"))).collect()
}

/// Runs a future to completion on the current thread, for the native CLI and tests. On the CPU
/// device every read is ready at once. In the browser, await instead: WebGPU reads need the event loop.
pub fn block_on<F: Future>(fut: F) -> F::Output {
    use std::task::{Context, Poll, Waker};
    let mut fut = std::pin::pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
            return v;
        }
        std::thread::yield_now();
    }
}
