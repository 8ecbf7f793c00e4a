//! The server's standard input and output as async streams that the runtime's reactor drives.
//!
//! tokio's `stdin()` and `stdout()` hand every read and write to a thread of the blocking
//! pool and wake the task when it is done: two thread hand-offs per message each way, on every
//! keystroke. Editors start a language server with pipes (or, through libuv, a socket pair), and
//! those can be read and written without blocking: then the reads and writes happen on the
//! runtime's own threads, woken by epoll. Anything else (a terminal, a file) keeps tokio's
//! blocking-thread streams.

use tokio::io::{AsyncRead, AsyncWrite};

pub type Input = Box<dyn AsyncRead + Unpin + Send>;
pub type Output = Box<dyn AsyncWrite + Unpin + Send>;

/// Standard input. Call inside the runtime.
pub fn input() -> Input {
    #[cfg(unix)]
    if let Some(stream) = unix::reader(0) {
        return stream;
    }
    Box::new(tokio::io::stdin())
}

/// Standard output. Call inside the runtime.
pub fn output() -> Output {
    #[cfg(unix)]
    if let Some(stream) = unix::writer(1) {
        return stream;
    }
    Box::new(tokio::io::stdout())
}

#[cfg(unix)]
mod unix {
    use std::os::fd::{FromRawFd, OwnedFd, RawFd};

    use super::{Input, Output};

    #[derive(PartialEq)]
    enum Kind {
        Pipe,
        Socket,
    }

    fn kind(fd: RawFd) -> Option<Kind> {
        // SAFETY: fstat writes into the zeroed struct it is given and reads nothing of ours.
        let mode = unsafe {
            let mut st: libc::stat = std::mem::zeroed();
            if libc::fstat(fd, &mut st) != 0 {
                return None;
            }
            st.st_mode & libc::S_IFMT
        };
        match mode {
            libc::S_IFIFO => Some(Kind::Pipe),
            libc::S_IFSOCK => Some(Kind::Socket),
            _ => None,
        }
    }

    /// A duplicate of `fd` (the standard descriptor itself stays open for the process).
    fn owned_dup(fd: RawFd) -> Option<OwnedFd> {
        // SAFETY: dup returns a new descriptor (or -1), which the OwnedFd then owns alone.
        let new = unsafe { libc::dup(fd) };
        (new >= 0).then(|| unsafe { OwnedFd::from_raw_fd(new) })
    }

    fn socket(fd: RawFd) -> Option<tokio::net::UnixStream> {
        let std = std::os::unix::net::UnixStream::from(owned_dup(fd)?);
        std.set_nonblocking(true).ok()?;
        tokio::net::UnixStream::from_std(std).ok()
    }

    pub(super) fn reader(fd: RawFd) -> Option<Input> {
        match kind(fd)? {
            Kind::Pipe => {
                let pipe = tokio::net::unix::pipe::Receiver::from_owned_fd(owned_dup(fd)?);
                Some(Box::new(pipe.ok()?))
            }
            Kind::Socket => Some(Box::new(socket(fd)?)),
        }
    }

    pub(super) fn writer(fd: RawFd) -> Option<Output> {
        match kind(fd)? {
            Kind::Pipe => {
                let pipe = tokio::net::unix::pipe::Sender::from_owned_fd(owned_dup(fd)?);
                Some(Box::new(pipe.ok()?))
            }
            Kind::Socket => Some(Box::new(socket(fd)?)),
        }
    }
}
