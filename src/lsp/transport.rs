//! Framing in front of tower-lsp-server. Its reader stops for good after the first message
//! that is not valid JSON (the framed stream ends on a decode error), which would leave an
//! editor with a dead server. So berth reads the frames itself: valid messages are passed on,
//! invalid ones are answered with a JSON-RPC parse error and skipped, and whole frames from both
//! sources are written to stdout without interleaving.

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;

/// Largest message berth accepts (a 20 MB document plus JSON escaping fits).
const MAX_MESSAGE: usize = 256 * 1024 * 1024;

pub fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

fn parse_error(detail: &str) -> Vec<u8> {
    error_frame(serde_json::Value::Null, -32700, &format!("Parse error: {detail}"))
}

fn error_frame(id: serde_json::Value, code: i64, message: &str) -> Vec<u8> {
    let msg = serde_json::json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": {"code": code, "message": message}
    });
    frame(msg.to_string().as_bytes())
}

/// A request, notification or response object as JSON-RPC 2.0 defines them.
fn is_message(v: &serde_json::Value) -> bool {
    let Some(o) = v.as_object() else { return false };
    if o.get("jsonrpc").and_then(|j| j.as_str()) != Some("2.0") {
        return false;
    }
    let id_ok = o.get("id").is_none_or(|i| i.is_number() || i.is_string() || i.is_null());
    let params_ok = o.get("params").is_none_or(|p| p.is_object() || p.is_array() || p.is_null());
    match o.get("method") {
        Some(m) => m.is_string() && id_ok && params_ok,
        None => o.contains_key("id") && (o.contains_key("result") || o.contains_key("error")),
    }
}

/// Read one frame: `Ok(Some(body))`, `Ok(None)` at end of input, `Err(reason)` for a frame
/// that was skipped (bad header or too large).
async fn read_frame<R: AsyncRead + Unpin>(
    r: &mut BufReader<R>,
) -> std::io::Result<Option<Result<Vec<u8>, String>>> {
    let mut len: Option<usize> = None;
    let mut bad_header = None;
    let mut saw_any = false;
    loop {
        let mut line = Vec::new();
        if r.read_until(b'\n', &mut line).await? == 0 {
            return Ok(None);
        }
        let text = String::from_utf8_lossy(&line);
        let mut text = text.trim_end_matches(['\r', '\n']);
        // After a wrong Content-Length the stream is out of step: the rest of a body runs into
        // the next header line. Resynchronise on the header rather than losing every message.
        if let Some(at) = find_ascii_ci(text, "content-length:").filter(|&at| at > 0) {
            text = &text[at..];
        }
        if text.is_empty() {
            if saw_any {
                break;
            }
            continue; // stray blank line between messages
        }
        saw_any = true;
        if let Some((name, value)) = text.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                match value.trim().parse::<usize>() {
                    Ok(n) => len = Some(n),
                    Err(_) => {
                        bad_header = Some(format!("invalid Content-Length `{}`", value.trim()))
                    }
                }
            }
        } else {
            bad_header = Some("malformed header line".to_string());
        }
    }
    let Some(len) = len else {
        return Ok(Some(Err(bad_header.unwrap_or_else(|| "missing Content-Length".to_string()))));
    };
    if len > MAX_MESSAGE {
        // Skip it without holding it in memory.
        let mut left = len as u64;
        let mut sink = tokio::io::sink();
        left -= tokio::io::copy(&mut r.take(left), &mut sink).await?;
        let _ = left;
        return Ok(Some(Err(format!("message of {len} bytes is too large"))));
    }
    // Grow the buffer as bytes arrive rather than trusting the header with one allocation.
    let mut body = Vec::with_capacity(len.min(1 << 20));
    (&mut *r).take(len as u64).read_to_end(&mut body).await?;
    if body.len() < len {
        return Ok(None); // input ended inside the body
    }
    Ok(Some(Ok(body)))
}

/// Byte position of `needle` (ASCII, lower case) in `hay`, ignoring ASCII case.
fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    hay.as_bytes().windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Read frames from `input`, forward valid ones to `to_server`, answer invalid ones on `errors`.
pub async fn filter_input<R, W>(input: R, mut to_server: W, errors: mpsc::UnboundedSender<Vec<u8>>)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut r = BufReader::with_capacity(64 * 1024, input);
    loop {
        match read_frame(&mut r).await {
            Ok(Some(Ok(body))) => {
                let Ok(msg) = serde_json::from_slice::<serde_json::Value>(&body) else {
                    let _ = errors.send(parse_error("the message is not valid JSON"));
                    continue;
                };
                // tower-lsp-server stops reading for good on anything that is not a JSON-RPC
                // message, so answer those here.
                if !is_message(&msg) {
                    let id = msg.get("id").filter(|i| i.is_number() || i.is_string());
                    let _ = errors.send(error_frame(
                        id.cloned().unwrap_or(serde_json::Value::Null),
                        -32600,
                        "Invalid request: not a JSON-RPC 2.0 message",
                    ));
                    continue;
                }
                if to_server.write_all(&frame(&body)).await.is_err()
                    || to_server.flush().await.is_err()
                {
                    return;
                }
            }
            Ok(Some(Err(reason))) => {
                let _ = errors.send(parse_error(&reason));
            }
            Ok(None) | Err(_) => return, // end of input: dropping `to_server` ends the server
        }
    }
}

/// Copy whole frames from the server (with parked diagnostic items put back) and from `errors`
/// to `out`.
pub async fn merge_output<R, W>(
    from_server: R,
    mut errors: mpsc::UnboundedReceiver<Vec<u8>>,
    mut out: W,
    splices: std::sync::Arc<super::splice::Splices>,
) where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut r = BufReader::with_capacity(64 * 1024, from_server);
    let mut errors_open = true;
    loop {
        tokio::select! {
            frame_read = read_frame(&mut r) => match frame_read {
                Ok(Some(Ok(body))) => {
                    let framed = splices.frame(&body);
                    if out.write_all(&framed).await.is_err() || out.flush().await.is_err() {
                        return;
                    }
                }
                Ok(Some(Err(_))) => continue,
                Ok(None) | Err(_) => {
                    // Server finished; flush any pending errors and stop.
                    while let Ok(e) = errors.try_recv() {
                        let _ = out.write_all(&e).await;
                    }
                    let _ = out.flush().await;
                    return;
                }
            },
            e = errors.recv(), if errors_open => match e {
                Some(bytes) => {
                    if out.write_all(&bytes).await.is_err() || out.flush().await.is_err() {
                        return;
                    }
                }
                None => errors_open = false,
            },
        }
    }
}
