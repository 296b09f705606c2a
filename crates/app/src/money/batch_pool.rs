//! The one pool of worker threads every batch runs on, shared by all batches of an [`App`]
//! (and its clones): a fixed number of threads, started once, and a bounded number of
//! batches admitted at a time. Issue 13, finding 2: a batch used to start its own 256
//! threads, so 100 concurrent batches started about 13,900 and the process aborted.
//!
//! The workers take the operations of the oldest admitted batch first, one at a time, so
//! one batch alone has every worker preparing its operations (since issue 16 they only
//! prepare them; the money engine applies the batch as one unit) and batches sent together
//! are served in turn.

use std::collections::VecDeque;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError};

use crate::AppError;

/// The configured limits of the batch pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchLimits {
    /// Worker threads shared by all batches: the most operations being prepared at once.
    pub workers: usize,
    /// Batches admitted at once (running or waiting for a worker); one more is refused
    /// `busy` (503 with `Retry-After`) before any of its operations runs.
    pub batches_max: usize,
}

impl Default for BatchLimits {
    fn default() -> BatchLimits {
        // The workers only prepare operations (read each request, authorise it, fingerprint
        // it: work for the processor, no waiting on the store), and the money engine applies
        // each batch as one unit (issue 16): a few threads keep both cores busy. Batches are
        // served one after the other.
        BatchLimits {
            workers: 4,
            batches_max: 8,
        }
    }
}

/// Work the pool runs: `len` items, each run once by some worker.
pub(crate) trait Job: Send + Sync {
    fn len(&self) -> usize;
    fn run(&self, index: usize);
}

struct Queued {
    job: Arc<dyn Job>,
    next: usize,
}

#[derive(Default)]
struct State {
    queue: VecDeque<Queued>,
    admitted: usize,
    closed: bool,
}

#[derive(Default)]
struct Shared {
    state: Mutex<State>,
    work: Condvar,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        // The lock is only held for queue book-keeping, which cannot panic half-way.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

pub(crate) struct BatchPool {
    limits: BatchLimits,
    shared: Arc<Shared>,
    /// Workers started, once, when the first batch arrives (an `App` made for a command
    /// that runs no batch starts none).
    started: OnceLock<usize>,
}

/// An admitted batch's place; given back when dropped.
pub(crate) struct Admission {
    shared: Arc<Shared>,
}

impl Drop for Admission {
    fn drop(&mut self) {
        let mut state = self.shared.state();
        state.admitted = state.admitted.saturating_sub(1);
    }
}

impl BatchPool {
    pub(crate) fn new(limits: BatchLimits) -> BatchPool {
        BatchPool {
            limits: BatchLimits {
                workers: limits.workers.max(1),
                batches_max: limits.batches_max.max(1),
            },
            shared: Arc::default(),
            started: OnceLock::new(),
        }
    }

    pub(crate) fn limits(&self) -> BatchLimits {
        self.limits
    }

    /// Batches admitted now (running or waiting for a worker).
    pub(crate) fn admitted(&self) -> usize {
        self.shared.state().admitted
    }

    /// A place for one more batch, or `busy` when `batches_max` are admitted already.
    pub(crate) fn admit(&self) -> Result<Admission, AppError> {
        let mut state = self.shared.state();
        if state.admitted >= self.limits.batches_max {
            return Err(AppError::Busy(format!(
                "{} batches are in progress",
                self.limits.batches_max
            )));
        }
        state.admitted += 1;
        Ok(Admission {
            shared: self.shared.clone(),
        })
    }

    /// Queues `job` behind the batches admitted before it. The caller waits for it by its
    /// own means (the job says when its last item is done).
    pub(crate) fn submit(&self, job: Arc<dyn Job>) -> Result<(), AppError> {
        if *self.started.get_or_init(|| self.start_workers()) == 0 {
            return Err(AppError::Busy("no batch worker could be started".into()));
        }
        if job.len() == 0 {
            return Ok(());
        }
        self.shared.state().queue.push_back(Queued { job, next: 0 });
        self.shared.work.notify_all();
        Ok(())
    }

    fn start_workers(&self) -> usize {
        let mut started = 0;
        for n in 0..self.limits.workers {
            let shared = self.shared.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("shebao-batch-{n}"))
                .spawn(move || work(&shared));
            match spawned {
                Ok(_) => started += 1,
                Err(error) => {
                    tracing::error!(target: "shebao::batch", started, error = %error, "cannot start a batch worker");
                    break;
                }
            }
        }
        started
    }
}

impl Drop for BatchPool {
    fn drop(&mut self) {
        // The last `App` is gone, and with it every job (each holds an `App`): the workers
        // find the queue empty and closed, and end.
        self.shared.state().closed = true;
        self.shared.work.notify_all();
    }
}

/// A worker: takes the next item of the oldest queued job, runs it, and again.
fn work(shared: &Shared) {
    loop {
        let (job, index) = {
            let mut state = shared.state();
            loop {
                if let Some(front) = state.queue.front_mut() {
                    let taken = (front.job.clone(), front.next);
                    front.next += 1;
                    if front.next >= front.job.len() {
                        state.queue.pop_front();
                    }
                    break taken;
                }
                if state.closed {
                    return;
                }
                state = shared
                    .work
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        };
        // A job's item catches its own panics (see `batch::BatchRun::run`); this one keeps
        // the worker alive should one escape anyway.
        let _ = std::panic::catch_unwind(AssertUnwindSafe(|| job.run(index)));
    }
}
