//! Long-running jobs: a query run or a scan that one request starts, a status
//! request reports on, and a list request reads once it has finished.
//!
//! Generated crates call [`Job::run`] from a `..._to_completion` method, for the
//! jobs an API's config names; the runtime knows nothing of any one API's
//! states. What each status response says is handed over as a [`JobReport`].

use std::future::Future;
use std::time::Duration;

use serde::Serialize;
use tokio::time::{Instant, sleep, timeout_at};

use crate::{Error, Result};

/// How long to wait for a job, and how often to ask about it.
///
/// ```
/// use std::time::Duration;
/// let wait = secgen_runtime::JobWait::timeout(Duration::from_secs(300))
///     .poll_interval(Duration::from_secs(2), Duration::from_secs(30));
/// # let _ = wait;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobWait {
    timeout: Duration,
    first_interval: Duration,
    max_interval: Duration,
}

impl JobWait {
    /// Wait at most `timeout`, counted from the request that starts the job.
    /// Asks 1 s after the start, then doubles the pause up to 10 s.
    pub fn timeout(timeout: Duration) -> Self {
        JobWait { timeout, first_interval: Duration::from_secs(1), max_interval: Duration::from_secs(10) }
    }

    /// Pause `first` before the first status request, then double the pause up to `max`.
    pub fn poll_interval(self, first: Duration, max: Duration) -> Self {
        JobWait { first_interval: first, max_interval: max.max(first), ..self }
    }

    /// The time given to the whole job.
    pub fn time_limit(&self) -> Duration {
        self.timeout
    }
}

/// What one status response says about its job: its id, its state, and the
/// outcome once it has finished, each as the text the server sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobReport {
    /// The job's id.
    pub id: Option<String>,
    /// Its state (`started`, `finished`, ...).
    pub state: Option<String>,
    /// Its outcome (`succeeded`, `failed`, ...).
    pub outcome: Option<String>,
}

impl JobReport {
    /// A report from a status response's id and state fields, whatever their
    /// Rust types (strings, numbers, enums, `Option`s of them).
    pub fn new(id: &impl Serialize, state: &impl Serialize) -> Self {
        JobReport { id: text(id), state: text(state), outcome: None }
    }

    /// The same report with the outcome field.
    pub fn outcome(self, outcome: &impl Serialize) -> Self {
        JobReport { outcome: text(outcome), ..self }
    }
}

/// A value's wire text: a JSON string as is, a number or boolean written out,
/// `null` (an absent `Option`) as nothing.
fn text(value: &impl Serialize) -> Option<String> {
    match serde_json::to_value(value).ok()? {
        serde_json::Value::String(text) => Some(text),
        serde_json::Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// One kind of job: the operation that starts it and the states that end it.
#[derive(Debug, Clone, Copy)]
pub struct Job {
    /// The operationId that starts the job (errors name it).
    pub operation: &'static str,
    /// States meaning the job has finished.
    pub finished: &'static [&'static str],
    /// Outcomes meaning it finished well; empty when the API reports none, and
    /// then every finished job counts as a success.
    pub succeeded: &'static [&'static str],
}

impl Job {
    /// Starts a job with `start`, asks `poll(id)` about it until its state is
    /// one of [`finished`](Self::finished), and returns its id.
    ///
    /// The whole run, the start request and every status request included, is
    /// bounded by `wait`'s timeout; past it the error is [`Error::JobTimeout`].
    /// A finished job whose outcome is not one of
    /// [`succeeded`](Self::succeeded) is [`Error::JobFailed`], as is a start
    /// response without an id.
    pub async fn run<Poll, Polled>(
        &self,
        wait: JobWait,
        start: impl Future<Output = Result<JobReport>>,
        mut poll: Poll,
    ) -> Result<String>
    where
        Poll: FnMut(String) -> Polled,
        Polled: Future<Output = Result<JobReport>>,
    {
        let deadline = Instant::now() + wait.timeout;
        let mut report = timeout_at(deadline, start).await.map_err(|_| self.timed_out(&wait, None, None))??;
        let Some(id) = report.id.clone() else {
            return Err(Error::JobFailed {
                operation: self.operation,
                id: None,
                outcome: None,
                message: "the response that started the job names no job id".to_owned(),
            });
        };
        let mut pause = wait.first_interval;
        loop {
            if self.is_finished(&report) {
                return self.check_outcome(id, report);
            }
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(self.timed_out(&wait, Some(id), report.state));
            }
            sleep(pause.min(remaining)).await;
            report = match timeout_at(deadline, poll(id.clone())).await {
                Ok(polled) => polled?,
                Err(_) => return Err(self.timed_out(&wait, Some(id), report.state)),
            };
            pause = (pause * 2).min(wait.max_interval);
        }
    }

    fn is_finished(&self, report: &JobReport) -> bool {
        report.state.as_deref().is_some_and(|state| self.finished.contains(&state))
    }

    fn check_outcome(&self, id: String, report: JobReport) -> Result<String> {
        let outcome = report.outcome;
        if self.succeeded.is_empty() || outcome.as_deref().is_some_and(|outcome| self.succeeded.contains(&outcome)) {
            return Ok(id);
        }
        let state = report.state.unwrap_or_default();
        let message = match &outcome {
            Some(outcome) => format!("job `{id}` is `{state}` with the outcome `{outcome}`"),
            None => format!("job `{id}` is `{state}` but the server reported no outcome"),
        };
        Err(Error::JobFailed { operation: self.operation, id: Some(id), outcome, message })
    }

    fn timed_out(&self, wait: &JobWait, id: Option<String>, state: Option<String>) -> Error {
        Error::JobTimeout { operation: self.operation, id, timeout: wait.timeout, state }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    const QUERY: Job = Job { operation: "runQuery", finished: &["finished"], succeeded: &["succeeded"] };

    fn report(state: &str, outcome: &str) -> JobReport {
        JobReport::new(&"run-1", &state).outcome(&outcome)
    }

    /// Polls answer `states` in turn (the last one repeated), counting the calls.
    async fn run_with(job: Job, wait: JobWait, states: &[(&str, &str)], polls: &AtomicUsize) -> Result<String> {
        let start = async { Ok(report("pending", "notAvailable")) };
        job.run(wait, start, |id| {
            assert_eq!(id, "run-1");
            let call = polls.fetch_add(1, Ordering::SeqCst);
            let (state, outcome) = states[call.min(states.len() - 1)];
            async move { Ok(report(state, outcome)) }
        })
        .await
    }

    #[tokio::test(start_paused = true)]
    async fn polls_until_finished_and_returns_the_id() {
        let polls = AtomicUsize::new(0);
        let states = [("started", "notAvailable"), ("started", "notAvailable"), ("finished", "succeeded")];
        let id = run_with(QUERY, JobWait::timeout(Duration::from_secs(60)), &states, &polls).await.unwrap();
        assert_eq!(id, "run-1");
        assert_eq!(polls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test(start_paused = true)]
    async fn pauses_grow_from_the_first_interval_up_to_the_maximum() {
        let polls = AtomicUsize::new(0);
        let started = Instant::now();
        let states = [("started", ""), ("started", ""), ("started", ""), ("started", ""), ("finished", "succeeded")];
        let wait =
            JobWait::timeout(Duration::from_secs(60)).poll_interval(Duration::from_secs(1), Duration::from_secs(3));
        run_with(QUERY, wait, &states, &polls).await.unwrap();
        // Paused time advances exactly by the sleeps: 1 + 2 + 3 + 3 + 3.
        assert_eq!(started.elapsed(), Duration::from_secs(12));
    }

    #[tokio::test(start_paused = true)]
    async fn a_finished_job_with_another_outcome_is_a_failure_naming_it() {
        let polls = AtomicUsize::new(0);
        let error = run_with(QUERY, JobWait::timeout(Duration::from_secs(60)), &[("finished", "timedOut")], &polls)
            .await
            .unwrap_err();
        match &error {
            Error::JobFailed { operation, id, outcome, .. } => {
                assert_eq!(
                    (*operation, id.as_deref(), outcome.as_deref()),
                    ("runQuery", Some("run-1"), Some("timedOut"))
                );
            }
            other => panic!("expected JobFailed, got {other:?}"),
        }
        assert_eq!(error.to_string(), "runQuery: job `run-1` is `finished` with the outcome `timedOut`");
    }

    #[tokio::test(start_paused = true)]
    async fn without_outcomes_configured_every_finished_job_succeeds() {
        let polls = AtomicUsize::new(0);
        let job = Job { succeeded: &[], ..QUERY };
        let id = run_with(job, JobWait::timeout(Duration::from_secs(60)), &[("finished", "")], &polls).await;
        assert_eq!(id.unwrap(), "run-1");
    }

    #[tokio::test(start_paused = true)]
    async fn a_job_that_never_finishes_times_out_with_its_id_and_last_state() {
        let polls = AtomicUsize::new(0);
        let wait = JobWait::timeout(Duration::from_secs(30));
        let error = run_with(QUERY, wait, &[("started", "notAvailable")], &polls).await.unwrap_err();
        match &error {
            Error::JobTimeout { id, state, timeout, .. } => {
                assert_eq!(
                    (id.as_deref(), state.as_deref(), *timeout),
                    (Some("run-1"), Some("started"), wait.time_limit())
                );
            }
            other => panic!("expected JobTimeout, got {other:?}"),
        }
        assert_eq!(error.to_string(), "runQuery: job `run-1` did not finish within 30s (last state: started)");
    }

    #[tokio::test(start_paused = true)]
    async fn a_status_request_that_hangs_is_cut_off_at_the_deadline() {
        let wait = JobWait::timeout(Duration::from_secs(5));
        let start = async { Ok(report("started", "")) };
        let error =
            QUERY.run(wait, start, |_| async { std::future::pending::<Result<JobReport>>().await }).await.unwrap_err();
        assert!(matches!(error, Error::JobTimeout { id: Some(_), .. }), "{error:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_start_response_without_an_id_is_refused() {
        let start = async { Ok(JobReport::new(&None::<String>, &"pending")) };
        let error = QUERY
            .run(JobWait::timeout(Duration::from_secs(5)), start, |_| std::future::ready(Ok(JobReport::default())))
            .await
            .unwrap_err();
        assert_eq!(error.to_string(), "runQuery: the response that started the job names no job id");
    }

    #[test]
    fn reports_read_strings_numbers_and_absent_values_as_text() {
        let report = JobReport::new(&42_i64, &Some("started")).outcome(&None::<String>);
        assert_eq!(report, JobReport { id: Some("42".into()), state: Some("started".into()), outcome: None });
    }
}
