//! Completion over the wire: a client that resolves items lazily gets the same items, with
//! their documentation fetched by `completionItem/resolve`.

mod common;

use common::{Client, TempDir, pos, uri};
use serde_json::{Value, json};

const COMPOSE: &str = "services:\n  web:\n    image: nginx\n    \n  db:\n    image: postgres\n";

/// A server with `compose.yaml` open; `resolve` declares `completionItem.resolveSupport`.
fn started(dir: &TempDir, resolve: bool) -> (Client, String) {
    let path = dir.write("compose.yaml", COMPOSE);
    let mut c = Client::spawn();
    let mut item = json!({"snippetSupport": true});
    if resolve {
        item["resolveSupport"] = json!({"properties": ["documentation", "detail"]});
    }
    let init = c.request(
        "initialize",
        json!({
            "processId": null,
            "rootUri": uri(&dir.0),
            "capabilities": {
                "general": {"positionEncodings": ["utf-16"]},
                "textDocument": {"completion": {"completionItem": item}}
            }
        }),
    );
    assert_eq!(init["capabilities"]["completionProvider"]["resolveProvider"], true, "{init}");
    c.notify("initialized", json!({}));
    let u = uri(&path);
    c.open(&u, "dockercompose", COMPOSE);
    c.diagnostics(&u, Some(1));
    (c, u)
}

/// The items at the blank line of `web` (its own keys).
fn items(c: &mut Client, u: &str) -> Vec<Value> {
    let r = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": u}, "position": pos(3, 4)}),
    );
    r["items"].as_array().cloned().unwrap_or_default()
}

#[test]
fn resolved_items_equal_the_full_items() {
    let dir = TempDir::new("completion-full");
    let (mut full_client, u) = started(&dir, false);
    let full = items(&mut full_client, &u);
    full_client.shutdown();
    assert!(full.len() > 20, "{full:?}");
    assert!(full.iter().all(|i| i.get("data").is_none()), "nothing held back");
    let build = full.iter().find(|i| i["label"] == "build").expect("build is offered");
    assert!(build["documentation"]["value"].as_str().unwrap().contains("**build**"), "{build}");

    let dir = TempDir::new("completion-lazy");
    let (mut c, u) = started(&dir, true);
    let lazy = items(&mut c, &u);
    assert_eq!(lazy.len(), full.len());
    for (lazy, full) in lazy.iter().zip(&full) {
        assert!(lazy.get("documentation").is_none(), "held back: {lazy}");
        let mut resolved = c.request("completionItem/resolve", lazy.clone());
        resolved.as_object_mut().unwrap().remove("data");
        assert_eq!(&resolved, full);
    }
    c.shutdown();
}

#[test]
fn items_of_an_older_list_resolve_to_themselves() {
    let dir = TempDir::new("completion-stale");
    let (mut c, u) = started(&dir, true);
    let old = items(&mut c, &u);
    let _newer = items(&mut c, &u);
    let stale = old.iter().find(|i| i["label"] == "build").unwrap().clone();
    assert_eq!(c.request("completionItem/resolve", stale.clone()), stale);
    // An item the server never made (no `data`) comes back unchanged too.
    let foreign = json!({"label": "x"});
    assert_eq!(c.request("completionItem/resolve", foreign.clone()), foreign);
    c.shutdown();
}
