//! The money engine (issue 16): money movements on cards' accounts are typed commands
//! ([`Command`]) that one engine thread applies in order, a group at a time, instead of
//! closures that each run their own SQL.
//!
//! - **Decided in memory.** The engine keeps what it decides on ([`state`]): cards,
//!   accounts, ledger balances, audit chain heads, region parameters, persons' credits of the
//!   day — loaded on first use, always equal to what is committed (dropped whenever that may
//!   no longer hold). A command is checked against it with the same domain rules, in the same
//!   order, as the single change it replaces, and refused the same way.
//! - **Written once per group.** A group's effects (transfers, entries, audit records, stored
//!   answers, one balance update per ledger account, one head update per audit chain) are
//!   written table by table in one job of the store's group writer, so they commit together,
//!   durably, before any command of the group is answered.
//! - **One unit.** A caller sends one command, or a whole batch, as one submission; the
//!   engine takes every submission waiting into its next group, up to
//!   [`GROUP_COMMANDS_MAX`] commands (a submission is never split: one that does not fit
//!   opens the next group).
//! - **Watched.** `shebao_engine_queue_depth` (submissions waiting) and
//!   `shebao_engine_group_commands` (commands per group) beside the writer's own metrics.
//! - **Bounded.** At most [`QUEUE_MAX`] submissions wait; a caller beyond that waits for room
//!   (back-pressure, as the group writer's queue).

mod apply;
mod state;

use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;

pub(crate) use apply::{Command, Credit, Debit, Drawn, Kind, Payee};
use shebao_store::Store;

use crate::AppError;
use crate::views::{MoneyOutcome, TransferView};

/// The engine's metric: submissions waiting (gauge).
pub const QUEUE_DEPTH: &str = "shebao_engine_queue_depth";
/// The engine's metric: commands per group (histogram).
pub const GROUP_COMMANDS: &str = "shebao_engine_group_commands";

/// Describes the engine's metrics to the recorder.
pub fn describe_metrics() {
    metrics::describe_gauge!(
        QUEUE_DEPTH,
        "Submissions (a command, or a batch's) waiting for the money engine."
    );
    metrics::describe_histogram!(
        GROUP_COMMANDS,
        "Money commands the engine decided and wrote in one group."
    );
}

/// Most commands in one group (a whole batch of 8,000 fits in one).
pub const GROUP_COMMANDS_MAX: usize = 8_192;
/// Most submissions waiting for the engine.
pub const QUEUE_MAX: usize = 4_096;

/// What a command answers when it stands: a debit's transfer, a credit's outcome.
pub(crate) enum Reply {
    Transfer(TransferView),
    Outcome(MoneyOutcome),
}

pub(crate) type Outcome = Result<Reply, AppError>;

struct Submission {
    commands: Vec<Command>,
    reply: SyncSender<Vec<Outcome>>,
}

/// The engine's queue and thread, started on the first command.
pub(crate) struct Engine {
    store: Store,
    queue: Mutex<Option<SyncSender<Submission>>>,
}

impl Engine {
    pub(crate) fn new(store: Store) -> Engine {
        Engine {
            store,
            queue: Mutex::new(None),
        }
    }

    fn sender(&self) -> Result<SyncSender<Submission>, AppError> {
        let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(sender) = queue.as_ref() {
            return Ok(sender.clone());
        }
        let (sender, receiver) = mpsc::sync_channel(QUEUE_MAX);
        let store = self.store.clone();
        thread::Builder::new()
            .name("money-engine".into())
            .spawn(move || run(&store, &receiver))
            .map_err(AppError::failed("starting the money engine"))?;
        *queue = Some(sender.clone());
        Ok(sender)
    }

    /// Applies `commands` as one unit; their outcomes, in order, once their group committed.
    pub(crate) fn submit(&self, commands: Vec<Command>) -> Result<Vec<Outcome>, AppError> {
        let count = commands.len();
        if count == 0 {
            return Ok(Vec::new());
        }
        let (reply, answer) = mpsc::sync_channel(1);
        metrics::gauge!(QUEUE_DEPTH).increment(1.0);
        self.sender()?
            .send(Submission { commands, reply })
            .map_err(|_| stopped())?;
        let outcomes = answer.recv().map_err(|_| stopped())?;
        if outcomes.len() != count {
            return Err(stopped());
        }
        Ok(outcomes)
    }

    /// Applies one command.
    pub(crate) fn one(&self, command: Command) -> Outcome {
        self.submit(vec![command])?
            .pop()
            .unwrap_or_else(|| Err(stopped()))
    }
}

fn stopped() -> AppError {
    AppError::Internal("the money engine stopped".into())
}

/// The engine's loop: a group of every submission waiting, applied in one job of the store's
/// writer, then each submission answered.
fn run(store: &Store, queue: &Receiver<Submission>) {
    let state = Arc::new(Mutex::new(state::HotState::default()));
    // A submission that did not fit in the last group opens the next one.
    let mut held: Option<Submission> = None;
    loop {
        let first = match held.take() {
            Some(first) => first,
            None => match queue.recv() {
                Ok(first) => first,
                Err(_) => break,
            },
        };
        metrics::gauge!(QUEUE_DEPTH).decrement(1.0);
        let mut count = first.commands.len();
        let mut submissions = vec![first];
        while count < GROUP_COMMANDS_MAX {
            match queue.try_recv() {
                Ok(next) if count + next.commands.len() <= GROUP_COMMANDS_MAX => {
                    metrics::gauge!(QUEUE_DEPTH).decrement(1.0);
                    count += next.commands.len();
                    submissions.push(next);
                }
                Ok(next) => {
                    metrics::gauge!(QUEUE_DEPTH).decrement(1.0);
                    held = Some(next);
                    break;
                }
                Err(_) => break,
            }
        }
        metrics::histogram!(GROUP_COMMANDS).record(count as f64);
        let mut sizes = Vec::with_capacity(submissions.len());
        let mut replies = Vec::with_capacity(submissions.len());
        let mut commands = Vec::with_capacity(count);
        for submission in submissions {
            sizes.push(submission.commands.len());
            replies.push(submission.reply);
            commands.extend(submission.commands);
        }
        let mut outcomes = apply(store, &state, commands).into_iter();
        for (size, reply) in sizes.into_iter().zip(replies) {
            let _sent = reply.send(outcomes.by_ref().take(size).collect());
        }
    }
}

/// One group through the store's writer: each command's outcome, or the group's failure for
/// each.
fn apply(
    store: &Store,
    state: &Arc<Mutex<state::HotState>>,
    commands: Vec<Command>,
) -> Vec<Outcome> {
    let count = commands.len();
    let commands = Arc::new(commands);
    let (job_state, job_commands) = (Arc::clone(state), Arc::clone(&commands));
    let applied = store.write(move |tx| {
        let mut state = job_state.lock().unwrap_or_else(PoisonError::into_inner);
        apply::apply_group(&mut state, tx, &job_commands)
    });
    let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
    match applied {
        Ok(outcomes) => {
            state.confirmed();
            outcomes
        }
        Err(error) => {
            // Nothing of the group stands; what the state holds may not be committed.
            state.clear();
            (0..count).map(|_| Err(error.clone())).collect()
        }
    }
}
