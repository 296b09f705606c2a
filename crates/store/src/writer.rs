//! Group commit, shared by both backends: one writer thread owns the store's only write
//! connection. It takes every job waiting in its queue (up to a bound), runs each in its own
//! savepoint inside one transaction, commits once, and only then answers each caller. Many
//! requests share one durable commit (one `fsync` on SQLite, one WAL flush on PostgreSQL); a
//! job that refuses rolls back to its savepoint without touching the others; writers of this
//! process never collide with each other. When the transaction as a whole must be retried
//! (a serialization failure caused by another process, a busy database), every job of the
//! group runs again — jobs are written to be re-runnable.
//!
//! The writer records, through the `metrics` facade and labelled with the backend's kind
//! (`store`): the jobs waiting ([`QUEUE_DEPTH`]), the jobs per group ([`GROUP_SIZE`]), each
//! group's time from its first BEGIN to its outcome ([`COMMIT_SECONDS`]) and the groups run
//! again ([`RETRIES`]). Whichever process installs a recorder sees them; without one they
//! cost next to nothing.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::touched::{Touched, Watched};
use crate::{Backend, Cause, Conn, Job, JobAbort, Mode, StoreError};

/// Jobs sent to a writer and not yet taken into a group (a gauge), including callers held
/// back because the queue is full.
pub const QUEUE_DEPTH: &str = "shebao_writer_queue_depth";
/// Jobs in each group the writer commits (a histogram).
pub const GROUP_SIZE: &str = "shebao_writer_group_size";
/// Seconds from a group's first BEGIN to its outcome, retries included (a histogram).
pub const COMMIT_SECONDS: &str = "shebao_writer_commit_seconds";
/// Groups run again whole because the database asked (a counter).
pub const RETRIES: &str = "shebao_writer_retries_total";

/// Describes the writer's metrics to the recorder (its `# HELP` lines): called by whoever
/// installs one.
pub fn describe_metrics() {
    metrics::describe_gauge!(
        QUEUE_DEPTH,
        "Write jobs waiting for the store's writer, by store kind."
    );
    metrics::describe_histogram!(
        GROUP_SIZE,
        metrics::Unit::Count,
        "Write jobs per group commit, by store kind."
    );
    metrics::describe_histogram!(
        COMMIT_SECONDS,
        metrics::Unit::Seconds,
        "Time from a group's BEGIN to its commit or failure, retries included, by store kind."
    );
    metrics::describe_counter!(
        RETRIES,
        "Write groups run again whole (serialization failure, busy database), by store kind."
    );
}

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
    meter: Arc<Meter>,
}

/// What the writer records, labelled with the store's kind.
struct Meter {
    kind: &'static str,
    /// Jobs sent and not yet taken: raised before a job is sent, lowered as the writer
    /// takes it, so it never goes below zero.
    waiting: AtomicUsize,
}

impl Meter {
    fn new(kind: &'static str) -> Meter {
        let meter = Meter {
            kind,
            waiting: AtomicUsize::new(0),
        };
        // Each family shows from the start, at zero, rather than after its first event.
        meter.show_depth();
        metrics::counter!(RETRIES, "store" => kind).increment(0);
        meter
    }

    fn show_depth(&self) {
        let waiting = self.waiting.load(Ordering::SeqCst);
        metrics::gauge!(QUEUE_DEPTH, "store" => self.kind)
            .set(u32::try_from(waiting).map_or(f64::MAX, f64::from));
    }

    /// A caller is about to send a job.
    fn sending(&self) {
        self.waiting.fetch_add(1, Ordering::SeqCst);
        self.show_depth();
    }

    /// A job left the queue: taken into a group, or never sent.
    fn taken(&self) {
        self.waiting.fetch_sub(1, Ordering::SeqCst);
    }

    /// A group's size and its time from BEGIN to its outcome.
    fn group(&self, jobs: usize, elapsed: Duration) {
        metrics::histogram!(GROUP_SIZE, "store" => self.kind)
            .record(u32::try_from(jobs).map_or(f64::MAX, f64::from));
        metrics::histogram!(COMMIT_SECONDS, "store" => self.kind).record(elapsed.as_secs_f64());
    }

    fn retried(&self) {
        metrics::counter!(RETRIES, "store" => self.kind).increment(1);
    }
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
    /// `queue_max` waiting before callers wait too (back-pressure, bounded memory). `kind`
    /// (`sqlite`, `postgres`) names the thread (`KIND-writer`) and labels its metrics.
    pub fn start(
        kind: &'static str,
        session: impl Session,
        group_max: usize,
        queue_max: usize,
    ) -> Result<GroupWriter, StoreError> {
        let (sender, receiver) = mpsc::sync_channel(queue_max);
        let group_max = group_max.max(1);
        let room = Arc::new(Room::default());
        let meter = Arc::new(Meter::new(kind));
        let writer = Writer {
            room: Arc::clone(&room),
            meter: Arc::clone(&meter),
            group_max,
        };
        let handle = thread::Builder::new()
            .name(format!("{kind}-writer"))
            .spawn(move || writer.run(session, &receiver))
            .map_err(|e| StoreError::Backend(Cause::new(e)))?;
        Ok(GroupWriter {
            queue: Mutex::new(Some(sender)),
            thread: Mutex::new(Some(handle)),
            room,
            meter,
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
        self.meter.sending();
        sender.send(Request { job, reply }).map_err(|_| {
            self.meter.taken();
            self.meter.show_depth();
            StoreError::Unavailable("writer stopped".into())
        })?;
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

/// What the writer thread holds besides its session and queue.
struct Writer {
    room: Arc<Room>,
    meter: Arc<Meter>,
    group_max: usize,
}

impl Writer {
    fn run(&self, mut session: impl Session, queue: &Receiver<Request>) {
        // Nothing is known of what was written before this writer started.
        let mut touched = Touched::ALL;
        while let Ok(first) = queue.recv() {
            self.meter.taken();
            let mut group = vec![first];
            while group.len() < self.group_max {
                match queue.try_recv() {
                    Ok(next) => {
                        self.meter.taken();
                        group.push(next);
                    }
                    Err(_) => break,
                }
            }
            self.meter.show_depth();
            self.commit_group(&mut session, group, &mut touched);
        }
    }

    /// Runs a group in one transaction (retrying it whole when the database asks), then
    /// answers every caller with the commit's outcome or its own refusal.
    fn commit_group(
        &self,
        session: &mut impl Session,
        mut group: Vec<Request>,
        touched: &mut Touched,
    ) {
        let started = Instant::now();
        let answers = commit_or_fail(session, &mut group, &self.meter, touched);
        self.meter.group(group.len(), started.elapsed());
        self.room.record(&answers);
        for (request, answer) in group.into_iter().zip(answers) {
            let _sent = request.reply.send(answer);
        }
    }
}

/// A group's transaction, retried whole while the database asks for it: every job's
/// answer.
fn commit_or_fail(
    session: &mut impl Session,
    group: &mut [Request],
    meter: &Meter,
    touched: &mut Touched,
) -> Vec<Result<(), StoreError>> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        match attempt_group(session, group, touched) {
            Err(StoreError::Retry) if attempt < GROUP_ATTEMPTS_MAX => {
                meter.retried();
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
