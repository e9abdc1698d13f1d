//! Load shedding for the API: at most a set number of requests are handled at once; past that,
//! a request is answered at once with `503 Service Unavailable` and `Retry-After`, instead of
//! waiting in a queue that only grows while the load lasts.
//!
//! The database is one connection and each accepted submission one short write transaction, so
//! requests beyond a few dozen in progress add waiting, not throughput; each waiting request
//! would also hold one of tokio's blocking threads. A client told to come back (the wizard
//! retries 5xx answers with backoff, keeping the draft and its Idempotency-Key) loses nothing.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;

use crate::api::BODY_LIMIT;
use crate::errors::Failure;

/// The default of `--max-concurrent-requests`.
pub const DEFAULT_MAX_CONCURRENT_REQUESTS: usize = 64;

/// The default time an admitted request's body may take to arrive (at most 1 MiB).
pub const DEFAULT_BODY_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// The `Retry-After` of a shed request, in seconds.
pub const RETRY_AFTER_SECS: u32 = 1;

/// Requests of the router in progress, and how many may be.
#[derive(Clone)]
struct InFlight {
    count: Arc<AtomicUsize>,
    max: usize,
    body_read_timeout: Duration,
}

/// A request being handled; dropping it (answered, or the client went away) frees its place.
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl InFlight {
    fn enter(&self) -> Option<Slot> {
        self.count
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < self.max).then_some(n + 1)
            })
            .ok()
            .map(|_| Slot(Arc::clone(&self.count)))
    }
}

/// `router` (its routes as they are now) handling at most `max` requests at once, each of
/// which must deliver its body within `body_read_timeout`.
pub fn limit<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    max: usize,
    body_read_timeout: Duration,
) -> Router<S> {
    let in_flight = InFlight {
        count: Arc::new(AtomicUsize::new(0)),
        max: max.max(1),
        body_read_timeout,
    };
    router.layer(middleware::from_fn_with_state(in_flight, shed))
}

async fn shed(State(in_flight): State<InFlight>, request: Request, next: Next) -> Response {
    match in_flight.enter() {
        Some(_slot) => {
            // The body is read here, against the clock, while the request holds its place:
            // a client trickling its body is answered 408 and the place freed, instead of
            // holding it for as long as it likes (64 such clients would shut out everyone).
            let (parts, body) = request.into_parts();
            // Over the limit (or cut off): 413, as the routes' own limit answers.
            match tokio::time::timeout(
                in_flight.body_read_timeout,
                axum::body::to_bytes(body, BODY_LIMIT),
            )
            .await
            {
                Err(_) => Failure::RequestTimeout.into_response(),
                Ok(Err(_)) => Failure::TooLarge { limit: BODY_LIMIT }.into_response(),
                Ok(Ok(bytes)) => {
                    next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
                        .await
                }
            }
        }
        None => {
            // Read the body before answering (it is small; the API's limit bounds it). An
            // answer sent while the body is still arriving makes hyper close the connection,
            // and a client that keeps connections alive then sends its retry into a closed
            // one and sees a reset instead of this 503.
            let _ = tokio::time::timeout(
                in_flight.body_read_timeout,
                axum::body::to_bytes(request.into_body(), BODY_LIMIT),
            )
            .await;
            Failure::Unavailable.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_counted_and_freed() {
        let in_flight = InFlight {
            count: Arc::new(AtomicUsize::new(0)),
            max: 2,
            body_read_timeout: DEFAULT_BODY_READ_TIMEOUT,
        };
        let a = in_flight.enter().expect("first");
        let b = in_flight.enter().expect("second");
        assert!(in_flight.enter().is_none(), "a third is shed");
        drop(a);
        let c = in_flight.enter().expect("a freed slot is reused");
        drop((b, c));
        assert_eq!(in_flight.count.load(Ordering::Acquire), 0);
    }
}
