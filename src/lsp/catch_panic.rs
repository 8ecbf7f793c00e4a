//! A service wrapper that turns a panic inside any handler into an error response (or, for a
//! notification, a logged message), so one bad request cannot take the whole server down.
//! Handlers that run analysis already catch panics on the analysis pool; this covers the
//! rest (document sync, custom methods, tower-lsp-server's own dispatch).

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::task::{Context, Poll};

use tower::Service;
use tower_lsp_server::jsonrpc::{Error, Id, Request, Response};

pub struct CatchPanic<S>(pub S);

impl<S> Service<Request> for CatchPanic<S>
where
    S: Service<Request, Response = Option<Response>>,
{
    type Response = Option<Response>;
    type Error = S::Error;
    type Future = Caught<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let id = req.id().cloned();
        let method = req.method().to_string();
        let inner = catch_unwind(AssertUnwindSafe(|| self.0.call(req)))
            .map(Box::pin)
            .map_err(super::server::panic_message);
        Caught { inner, id, method }
    }
}

pub struct Caught<F> {
    inner: Result<Pin<Box<F>>, String>,
    id: Option<Id>,
    method: String,
}

impl<F, E> Future for Caught<F>
where
    F: Future<Output = Result<Option<Response>, E>>,
{
    type Output = Result<Option<Response>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // Every field is Unpin (the inner future is boxed), so the wrapper is too.
        let this = self.get_mut();
        let panic = match &mut this.inner {
            Ok(fut) => match catch_unwind(AssertUnwindSafe(|| fut.as_mut().poll(cx))) {
                Ok(poll) => return poll,
                Err(p) => super::server::panic_message(p),
            },
            Err(msg) => msg.clone(),
        };
        eprintln!("berth: handler for {} panicked: {panic}", this.method);
        let response = this.id.take().map(|id| {
            let mut err = Error::internal_error();
            err.message = format!("berth: internal error in {}: {panic}", this.method).into();
            Response::from_parts(id, Err(err))
        });
        Poll::Ready(Ok(response))
    }
}
