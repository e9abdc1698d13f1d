//! One request with a time limit: the wizard's calls to the partner backend all go through
//! here, so a hung connection always ends and is told from a refused one.

use gloo_net::http::RequestBuilder;
use wasm_bindgen::JsCast;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The request builder refused the input (it never left the page).
    Unsent,
    Network,
    Timeout,
}

/// Sends `request` (a body, if any, is given by `body`), giving up after `timeout_ms`; the
/// answer's status and text.
pub async fn send(request: RequestBuilder, body: Option<String>, timeout_ms: i32) -> Result<(u16, String), Failure> {
    let controller = web_sys::AbortController::new().ok();
    let timed_out = std::rc::Rc::new(std::cell::Cell::new(false));
    let timer = controller.as_ref().and_then(|c| {
        let (c, flag) = (c.clone(), timed_out.clone());
        let abort = wasm_bindgen::closure::Closure::once_into_js(move || {
            flag.set(true);
            c.abort();
        });
        web_sys::window()?.set_timeout_with_callback_and_timeout_and_arguments_0(abort.unchecked_ref(), timeout_ms).ok()
    });
    let request = request.abort_signal(controller.as_ref().map(|c| c.signal()).as_ref());
    let request = match body {
        Some(body) => request.header("Content-Type", "application/json").body(body),
        None => request.build(),
    };
    let result = match request {
        Ok(request) => request.send().await,
        Err(_) => return Err(Failure::Unsent),
    };
    let answer = match result {
        Err(_) if timed_out.get() => Err(Failure::Timeout),
        Err(_) => Err(Failure::Network),
        Ok(response) => Ok((response.status(), response.text().await.unwrap_or_default())),
    };
    if let (Some(timer), Some(window)) = (timer, web_sys::window()) {
        window.clear_timeout_with_handle(timer);
    }
    answer
}
