//! Small helpers with no better home.

use std::any::Any;
use std::sync::OnceLock;
use std::sync::mpsc::{Sender, channel};
use std::sync::{Mutex, MutexGuard};

/// Lock `m`, going on after a panic elsewhere poisoned it: every mutex berth holds guards a
/// cache or a record that stays valid whatever the panicking thread was doing.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Drop `value` on a background thread. Freeing a large model (hundreds of thousands of small
/// allocations) took a millisecond or more on the keystroke path; nothing waits for it.
pub fn drop_later<T: Any + Send>(value: T) {
    type Garbage = Box<dyn Any + Send>;
    static TX: OnceLock<Option<Mutex<Sender<Garbage>>>> = OnceLock::new();
    let tx = TX.get_or_init(|| {
        let (tx, rx) = channel::<Garbage>();
        std::thread::Builder::new()
            .name("berth-drop".into())
            .spawn(move || {
                for v in rx {
                    drop(v)
                }
            })
            .ok()
            .map(|_| Mutex::new(tx))
    });
    let boxed: Garbage = Box::new(value);
    // No thread (spawn refused): drop here. A send can only fail if that thread died.
    if let Some(tx) = tx {
        let _ = lock(tx).send(boxed);
    }
}

/// Maps and sets for the per-keystroke paths, keyed by short strings, offsets and path bytes:
/// foldhash is several times cheaper than SipHash on such keys. The keys come from files a
/// user may not have written, so each map gets its own random seed: a file crafted to collide
/// for one seed does not collide for the next map.
pub type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
pub type FastSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;
