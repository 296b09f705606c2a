//! Group commit, shared by both backends: one writer thread owns the store's only write
//! connection. It takes every job waiting in its queue (up to a bound), runs each in its own
//! savepoint inside one transaction, commits once, and only then answers each caller. Many
//! requests share one durable commit (one `fsync` on SQLite, one WAL flush on PostgreSQL); a
//! job that refuses rolls back to its savepoint without touching the others; writers of this
//! process never collide with each other. When the transaction as a whole must be retried
//! (a serialization failure caused by another process, a busy database), every job of the
//! group runs again — jobs are written to be re-runnable.

use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::touched::{Touched, Watched};
use crate::{Backend, Cause, Conn, Job, JobAbort, Mode, StoreError};

/// Jobs waiting for the writer before callers wait too: back-pressure instead of unbounded
/// memory. Both backends use it.
pub const QUEUE_MAX: usize = 4_096;
/// Most attempts of one group before its retryable failure is reported.
const GROUP_ATTEMPTS_MAX: u32 = 200;
/// How long a write that ran out of room keeps the store reported full when no write has
/// succeeded since: long enough for a load balancer to take the node out, short enough that
/// a node whose disk was freed without traffic comes back by itself (the next write that
/// runs out of room reports it full again).
const FULL_REPORTED_FOR: Duration = Duration::from_secs(30);

/// The one write connection, as the writer drives it.
pub trait Session: Send + 'static {
    /// Runs statements that take no parameters and return nothing (BEGIN, SAVEPOINT, …).
    fn control(&mut self, sql: &str) -> Result<(), StoreError>;
    /// The connection jobs run on, inside the open transaction.
    fn conn(&mut self) -> &mut dyn Conn;
    /// The statement that opens a write transaction.
    fn begin(&self) -> &'static str;
    /// Called after the connection failed; a new connection, or the error to report.
    fn reconnect(&mut self) -> Result<(), StoreError> {
        Ok(())
    }
}

struct Request {
    job: Job,
    reply: SyncSender<Result<(), StoreError>>,
}

/// A backend that reads on connections of its own and writes through one [`GroupWriter`]:
/// both backends are, and are a [`Backend`] by this alone.
pub trait GroupBackend: Send + Sync {
    /// `sqlite` or `postgres`.
    const KIND: &'static str;
    /// The writer all writes go through.
    fn writer(&self) -> &GroupWriter;
    /// Runs `job` in a read-only snapshot.
    fn run_read(&self, job: Job) -> Result<(), StoreError>;
}

impl<T: GroupBackend> Backend for T {
    fn run(&self, mode: Mode, job: Job) -> Result<(), StoreError> {
        match mode {
            Mode::Read => self.run_read(job),
            Mode::Write => self.writer().run(job),
        }
    }

    fn kind(&self) -> &'static str {
        T::KIND
    }

    fn storage_full(&self) -> bool {
        self.writer().storage_full()
    }
}

/// The writer thread and the queue in front of it.
pub struct GroupWriter {
    queue: Mutex<Option<SyncSender<Request>>>,
    thread: Mutex<Option<thread::JoinHandle<()>>>,
    room: Arc<Room>,
}

/// When a write last ran out of room, unless a write has succeeded since.
#[derive(Default)]
struct Room {
    full_since: Mutex<Option<Instant>>,
}

impl Room {
    /// Records a group's outcome: out of room if any write of it was, room again if any
    /// write of it was committed.
    fn record(&self, answers: &[Result<(), StoreError>]) {
        let full = answers
            .iter()
            .any(|a| matches!(a, Err(StoreError::Full(_))));
        let committed = answers.iter().any(Result::is_ok);
        if let Ok(mut since) = self.full_since.lock() {
            if full {
                *since = Some(Instant::now());
            } else if committed {
                *since = None;
            }
        }
    }

    fn full(&self) -> bool {
        self.full_since
            .lock()
            .ok()
            .and_then(|since| *since)
            .is_some_and(|at| at.elapsed() < FULL_REPORTED_FOR)
    }
}

impl GroupWriter {
    /// Starts the writer on `session`: at most `group_max` jobs per commit, at most
    /// `queue_max` waiting before callers wait too (back-pressure, bounded memory).
    pub fn start(
        name: &str,
        session: impl Session,
        group_max: usize,
        queue_max: usize,
    ) -> Result<GroupWriter, StoreError> {
        let (sender, receiver) = mpsc::sync_channel(queue_max);
        let group_max = group_max.max(1);
        let room = Arc::new(Room::default());
        let writer_room = Arc::clone(&room);
        let handle = thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || writer_loop(session, &receiver, group_max, &writer_room))
            .map_err(|e| StoreError::Backend(Cause::new(e)))?;
        Ok(GroupWriter {
            queue: Mutex::new(Some(sender)),
            thread: Mutex::new(Some(handle)),
            room,
        })
    }

    /// Whether writes are failing for lack of room: the latest group with a write that ran
    /// out of room came after the latest group that committed a write, and less than
    /// [`FULL_REPORTED_FOR`] ago.
    pub fn storage_full(&self) -> bool {
        self.room.full()
    }

    /// Runs `job` in the next group; returns once that group's commit is durable.
    pub fn run(&self, job: Job) -> Result<(), StoreError> {
        let sender = self
            .queue
            .lock()
            .ok()
            .and_then(|guard| guard.clone())
            .ok_or_else(|| StoreError::Unavailable("store is closed".into()))?;
        let (reply, answer) = mpsc::sync_channel(1);
        sender
            .send(Request { job, reply })
            .map_err(|_| StoreError::Unavailable("writer stopped".into()))?;
        answer
            .recv()
            .map_err(|_| StoreError::Unavailable("writer stopped".into()))?
    }

    /// Closes the queue and waits for the writer to finish what it holds.
    pub fn stop(&self) {
        if let Ok(mut queue) = self.queue.lock() {
            queue.take();
        }
        if let Some(handle) = self.thread.lock().ok().and_then(|mut h| h.take()) {
            let _joined = handle.join();
        }
    }
}

impl Drop for GroupWriter {
    fn drop(&mut self) {
        self.stop();
    }
}

fn writer_loop(
    mut session: impl Session,
    queue: &Receiver<Request>,
    group_max: usize,
    room: &Room,
) {
    // Nothing is known of what was written before this writer started.
    let mut touched = Touched::ALL;
    while let Ok(first) = queue.recv() {
        let mut group = vec![first];
        while group.len() < group_max {
            match queue.try_recv() {
                Ok(next) => group.push(next),
                Err(_) => break,
            }
        }
        commit_group(&mut session, group, room, &mut touched);
    }
}

/// Runs a group in one transaction (retrying it whole when the database asks), then answers
/// every caller with the commit's outcome or its own refusal.
fn commit_group(
    session: &mut impl Session,
    mut group: Vec<Request>,
    room: &Room,
    touched: &mut Touched,
) {
    let mut attempt = 0;
    let answers = loop {
        attempt += 1;
        match attempt_group(session, &mut group, touched) {
            Err(StoreError::Retry) if attempt < GROUP_ATTEMPTS_MAX => {
                thread::sleep(backoff(attempt));
            }
            Err(error) => {
                // A broken connection is replaced for the next group; if that fails too,
                // the next group reports it.
                if matches!(error, StoreError::Unavailable(_)) {
                    *touched = Touched::ALL;
                    let _reconnected = session.reconnect();
                }
                break vec![Err(error); group.len()];
            }
            Ok(answers) => break answers,
        }
    };
    room.record(&answers);
    for (request, answer) in group.into_iter().zip(answers) {
        let _sent = request.reply.send(answer);
    }
}

/// One try of a group: every job's own outcome, or the error that ends the whole group.
fn attempt_group(
    session: &mut impl Session,
    group: &mut [Request],
    touched: &mut Touched,
) -> Result<Vec<Result<(), StoreError>>, StoreError> {
    let begin = session.begin();
    session.control(begin)?;
    let mut answers = Vec::with_capacity(group.len());
    for request in group.iter_mut() {
        match run_in_savepoint(session, &mut request.job, touched) {
            // The whole transaction must be retried: no job of this try stands.
            Err(error @ (StoreError::Retry | StoreError::Unavailable(_))) => {
                let _rolled_back = session.control("ROLLBACK");
                return Err(error);
            }
            outcome => answers.push(outcome),
        }
    }
    if let Err(error) = session.control("COMMIT") {
        let _rolled_back = session.control("ROLLBACK");
        return Err(error);
    }
    Ok(answers)
}

fn run_in_savepoint(
    session: &mut impl Session,
    job: &mut Job,
    touched: &mut Touched,
) -> Result<(), StoreError> {
    session.control("SAVEPOINT job")?;
    // A job that panics must not take the writer (and every later write) with it: it is
    // rolled back like a failed job and its caller gets an error. What it writes is watched
    // (a rolled-back write counts as written: a cache dropped for nothing is only reloaded).
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut watched = Watched {
            conn: session.conn(),
            touched,
        };
        job(&mut watched)
    }))
    .unwrap_or_else(|_| {
        Err(JobAbort::Store(StoreError::Backend(
            "a write job panicked".into(),
        )))
    });
    match outcome {
        Ok(()) => session.control("RELEASE SAVEPOINT job"),
        Err(abort) => {
            session.control("ROLLBACK TO SAVEPOINT job")?;
            session.control("RELEASE SAVEPOINT job")?;
            match abort {
                JobAbort::Rollback => Ok(()),
                JobAbort::Store(error) => Err(error),
            }
        }
    }
}

/// A random pause that grows with the attempt, so colliding writers spread out instead of
/// colliding again in step. The clock's low bits are random enough for jitter.
pub fn backoff(attempt: u32) -> Duration {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    let ceiling_micros = 500 * u64::from(attempt.min(20));
    Duration::from_micros(100 + u64::from(nanos) % ceiling_micros.max(1))
}
