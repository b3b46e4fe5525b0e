//! What every transport to Prometheus needs besides carrying bytes, as wrappers around any
//! [`Transport`]: [`SharedInFlight`] (panels asking the same question share one request, given up
//! when the last asker drops it) and [`Limited`] (at most N requests out at once, the rest waiting
//! in the order they asked, a waiter that gave up leaving its place). The browser stacks them on
//! fetch (`prom::client`); tests stack them on fakes. Pure: futures only, no timers, no network.

use super::api::{ApiRequest, Sending, Transport};
use futures::channel::oneshot;
use futures::future::{FutureExt, Shared, WeakShared};
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

type InFlight = Rc<RefCell<HashMap<String, WeakShared<Sending>>>>;

/// Identical requests in flight share one answer (by [`ApiRequest::key`]). The map holds weak
/// handles, so a request nobody waits for any more is dropped, which gives it up.
pub struct SharedInFlight<T> {
    inner: T,
    in_flight: InFlight,
}

impl<T> SharedInFlight<T> {
    pub fn new(inner: T) -> SharedInFlight<T> {
        SharedInFlight { inner, in_flight: InFlight::default() }
    }
}

impl<T: Transport> Transport for SharedInFlight<T> {
    fn send(&self, request: ApiRequest) -> Sending {
        let key = request.key();
        let existing = self.in_flight.borrow().get(&key).and_then(WeakShared::upgrade);
        let shared: Shared<Sending> = match existing {
            Some(shared) => shared,
            None => {
                let answer = self.inner.send(request);
                let (in_flight, finished_key) = (Rc::clone(&self.in_flight), key.clone());
                let future: Sending = Box::pin(async move {
                    let answer = answer.await;
                    in_flight.borrow_mut().remove(&finished_key);
                    answer
                });
                let shared = future.shared();
                if let Some(weak) = shared.downgrade() {
                    let mut in_flight = self.in_flight.borrow_mut();
                    // Requests given up by every asker never finish, so never remove themselves:
                    // drop them here, or each refresh's new time range would leave one behind.
                    in_flight.retain(|_, other| other.upgrade().is_some());
                    in_flight.insert(key, weak);
                }
                shared
            }
        };
        Box::pin(shared)
    }
}

#[derive(Default)]
struct Slots {
    in_use: usize,
    waiting: VecDeque<oneshot::Sender<()>>,
}

/// A held slot; dropping it hands the slot to the next waiter still waiting.
struct Slot(Rc<RefCell<Slots>>);

impl Drop for Slot {
    fn drop(&mut self) {
        let mut slots = self.0.borrow_mut();
        // A waiter whose request was dropped meanwhile refuses the slot; the next one gets it.
        while let Some(waiter) = slots.waiting.pop_front() {
            if waiter.send(()).is_ok() {
                return;
            }
        }
        slots.in_use -= 1;
    }
}

/// At most `limit` requests out at once; the others wait for a slot in the order they asked, so
/// panels on screen, which ask first, are answered first, and a request given up before it got a
/// slot costs nothing. The inner transport is asked only once a slot is held.
pub struct Limited<T> {
    inner: Rc<T>,
    limit: usize,
    slots: Rc<RefCell<Slots>>,
}

impl<T> Limited<T> {
    pub fn new(inner: T, limit: usize) -> Limited<T> {
        Limited { inner: Rc::new(inner), limit: limit.max(1), slots: Rc::default() }
    }
}

impl<T: Transport + 'static> Transport for Limited<T> {
    fn send(&self, request: ApiRequest) -> Sending {
        let (inner, slots, limit) = (Rc::clone(&self.inner), Rc::clone(&self.slots), self.limit);
        Box::pin(async move {
            let granted = {
                let mut state = slots.borrow_mut();
                if state.in_use < limit {
                    state.in_use += 1;
                    None
                } else {
                    let (sender, receiver) = oneshot::channel();
                    state.waiting.push_back(sender);
                    Some(receiver)
                }
            };
            if let Some(receiver) = granted {
                // Handed over by a finishing request, which kept the count as it was.
                let _ = receiver.await;
            }
            let _slot = Slot(slots);
            inner.send(request).await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datasource::HttpMethod;
    use crate::prom::PromError;
    use crate::prom::api::ApiResponse;
    use crate::prom::api::testing::{HeldTransport as Held, ok};
    use futures::task::noop_waker_ref;
    use std::task::{Context, Poll};

    fn request(url: &str) -> ApiRequest {
        ApiRequest {
            method: HttpMethod::Get,
            url: url.into(),
            form: None,
            headers: Vec::new(),
            what: "q".into(),
            shown_url: url.into(),
        }
    }

    fn poll(future: &mut Sending) -> Poll<Result<ApiResponse, PromError>> {
        future.as_mut().poll(&mut Context::from_waker(noop_waker_ref()))
    }

    #[test]
    fn identical_requests_in_flight_share_one_and_later_ones_ask_again() {
        let held = Rc::new(Held::default());
        let transport = SharedInFlight::new(Rc::clone(&held));
        let (mut first, mut second, mut other) =
            (transport.send(request("/a")), transport.send(request("/a")), transport.send(request("/b")));
        assert!(
            poll(&mut first).is_pending() && poll(&mut second).is_pending() && poll(&mut other).is_pending()
        );
        assert_eq!(held.held.borrow().len(), 2, "one request for /a, one for /b");
        let (_, answer_a) = held.held.borrow_mut().remove(0);
        answer_a.send(ok("A")).unwrap();
        assert_eq!(poll(&mut first), Poll::Ready(Ok(ok("A"))));
        assert_eq!(poll(&mut second), Poll::Ready(Ok(ok("A"))));
        // Answered: the next identical request is a new one.
        let mut again = transport.send(request("/a"));
        assert!(poll(&mut again).is_pending());
        assert_eq!(held.held.borrow().len(), 2);
    }

    #[test]
    fn a_shared_request_is_given_up_only_when_its_last_asker_drops_it() {
        let held = Rc::new(Held::default());
        let transport = SharedInFlight::new(Rc::clone(&held));
        let (mut first, mut second) = (transport.send(request("/a")), transport.send(request("/a")));
        assert!(poll(&mut first).is_pending() && poll(&mut second).is_pending());
        drop(first);
        assert!(!held.held.borrow()[0].1.is_canceled(), "still wanted by the second asker");
        drop(second);
        assert!(held.held.borrow()[0].1.is_canceled(), "nobody waits: the request is dropped");
        // Its entry goes with the next request, so given-up requests do not pile up.
        let mut next = transport.send(request("/b"));
        assert!(poll(&mut next).is_pending());
        assert_eq!(transport.in_flight.borrow().len(), 1);
    }

    #[test]
    fn at_most_the_limit_goes_out_and_waiters_go_in_order_skipping_those_given_up() {
        let held = Rc::new(Held::default());
        let transport = Limited::new(Rc::clone(&held), 2);
        let mut asked: Vec<Sending> =
            ["/1", "/2", "/3", "/4"].iter().map(|url| transport.send(request(url))).collect();
        for future in &mut asked {
            assert!(poll(future).is_pending());
        }
        assert_eq!(held.urls(), ["/1", "/2"]);
        // /3 gives up while waiting; when /1 is answered, its slot goes to /4.
        let mut fourth = asked.pop().unwrap();
        drop(asked.pop());
        let (_, answer_1) = held.held.borrow_mut().remove(0);
        answer_1.send(ok("1")).unwrap();
        assert_eq!(poll(&mut asked[0]), Poll::Ready(Ok(ok("1"))));
        assert!(poll(&mut fourth).is_pending());
        assert_eq!(held.urls(), ["/2", "/4"]);
    }
}
