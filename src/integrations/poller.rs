//! One integration's polling loop, apart from what a probe does: poll,
//! report, wait the interval (plus jitter) or the backoff the outcome calls
//! for, or less when woken ("poll now" replaces the wait; it never queues a
//! second probe).

use crate::domain::health::{HealthStatus, ProbeOutcome, next_delay};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// Up to 10 % of the interval, so many pollers do not fire together.
pub fn jitter(interval: u64, seed: u64) -> Duration {
    let spread = (interval * 100).max(1);
    Duration::from_millis(
        (seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407)
            >> 33)
            % spread,
    )
}

/// Poll until `report` says stop (returns false). `probe` is called once per
/// round; `stagger` delays the first round.
pub async fn run<P, F, R>(
    interval: u64,
    stagger: Duration,
    seed: u64,
    wake: Arc<Notify>,
    mut probe: P,
    mut report: R,
) where
    P: FnMut() -> F,
    F: Future<Output = ProbeOutcome>,
    R: FnMut(ProbeOutcome) -> bool,
{
    let mut failures = 0u32;
    let mut seed = seed;
    tokio::time::sleep(stagger).await;
    loop {
        let outcome = probe().await;
        failures = if outcome.status == HealthStatus::Up {
            0
        } else {
            failures + 1
        };
        let delay = Duration::from_secs(next_delay(interval, &outcome, failures));
        if !report(outcome) {
            return;
        }
        seed = seed.wrapping_add(0x9e37_79b9);
        // A "poll now" that came while this probe ran is answered by it: drop
        // the stored wake-up rather than polling twice.
        tokio::select! {
            biased;
            _ = wake.notified() => {}
            _ = std::future::ready(()) => {}
        }
        tokio::select! {
            _ = tokio::time::sleep(delay + jitter(interval, seed)) => {}
            _ = wake.notified() => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::health::FailureClass;
    use std::sync::Mutex;
    use tokio::time::Instant;

    fn up() -> ProbeOutcome {
        ProbeOutcome::up("ok", 1)
    }

    fn limited(secs: u64) -> ProbeOutcome {
        let mut o = ProbeOutcome::failed(
            HealthStatus::Degraded,
            FailureClass::RateLimited,
            "429",
            "rate limited",
            None,
        );
        o.retry_after = Some(secs);
        o
    }

    fn transient() -> ProbeOutcome {
        ProbeOutcome::failed(
            HealthStatus::Degraded,
            FailureClass::Transient,
            "timed out",
            "",
            None,
        )
    }

    fn auth() -> ProbeOutcome {
        ProbeOutcome::failed(
            HealthStatus::Down,
            FailureClass::Config,
            "403",
            "revoked",
            None,
        )
    }

    /// Run the loop over scripted outcomes; return when each probe happened,
    /// in seconds from the start (paused time: exact, no waiting).
    async fn schedule(interval: u64, script: Vec<ProbeOutcome>, wake: Arc<Notify>) -> Vec<f64> {
        let start = Instant::now();
        let times = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(script.into_iter()));
        let (t, s) = (times.clone(), script.clone());
        run(
            interval,
            Duration::ZERO,
            0,
            wake,
            move || {
                t.lock().unwrap().push(start.elapsed().as_secs_f64());
                let next = s.lock().unwrap().next();
                async move { next.unwrap_or_else(up) }
            },
            {
                let remaining = script.clone();
                move |_| remaining.lock().unwrap().len() > 0
            },
        )
        .await;
        times.lock().unwrap().clone()
    }

    fn whole(v: &[f64], interval: u64) -> Vec<u64> {
        // Jitter adds under 10 % of the interval to each wait: strip it.
        let mut out = Vec::new();
        let mut prev = 0.0;
        for t in v {
            let gap = t - prev;
            out.push(gap.floor() as u64);
            assert!(gap.fract() < interval as f64 * 0.1 + 1e-9 || gap.fract() == 0.0);
            prev = *t;
        }
        out
    }

    #[tokio::test(start_paused = true)]
    async fn green_polls_on_the_interval() {
        let times = schedule(30, vec![up(), up(), up()], Arc::new(Notify::new())).await;
        let gaps = whole(&times, 30);
        assert_eq!(gaps[0], 0);
        assert!(gaps[1..].iter().all(|g| (30..=33).contains(g)), "{gaps:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn rate_limits_wait_as_asked_and_auth_failures_slow_down() {
        let times = schedule(
            30,
            vec![limited(7), limited(45), auth(), up()],
            Arc::new(Notify::new()),
        )
        .await;
        let gaps = whole(&times, 30);
        assert!(
            (30..=33).contains(&gaps[1]),
            "a Retry-After shorter than the interval never shortens it: {times:?}"
        );
        assert!(
            (45..=49).contains(&gaps[2]),
            "a longer Retry-After is honoured (plus jitter): {times:?}"
        );
        assert!(
            (300..=303).contains(&gaps[3]),
            "after a 403 the next poll is five minutes away: {gaps:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn transport_failures_back_off_exponentially() {
        let times = schedule(
            10,
            vec![transient(), transient(), transient(), transient(), up()],
            Arc::new(Notify::new()),
        )
        .await;
        let gaps: Vec<u64> = whole(&times, 10);
        assert_eq!(&gaps[1..], &[20, 40, 80, 160], "{times:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn poll_now_replaces_the_wait_instead_of_queueing() {
        let wake = Arc::new(Notify::new());
        let w = wake.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(5)).await;
            // Three wake-ups at once: one early poll, not three.
            w.notify_one();
            w.notify_one();
            w.notify_one();
        });
        let times = schedule(60, vec![up(), up(), up()], wake).await;
        assert_eq!(times[1].floor() as u64, 5, "woken at 5 s: {times:?}");
        assert!(
            times[2] - times[1] >= 60.0,
            "the next waits a full interval again: {times:?}"
        );
    }
}
