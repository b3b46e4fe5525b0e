//! Stand-in HTTP servers for what the tests must not reach for real (a backend whose requests
//! are recorded, grafana.com): each records every request head it is sent and answers what its
//! handler says for the request line. Plus raw requests, sent exactly as written.

use crate::stack::Result;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// An answer: status, content type, body.
pub type Answer = (u16, &'static str, String);

pub struct StandIn {
    pub url: String,
    seen: Arc<Mutex<Vec<String>>>,
}

impl StandIn {
    /// Serves on a free loopback port; `answer` gets the request line (`GET /path HTTP/1.1`).
    pub fn start(answer: fn(&str) -> Answer) -> Result<StandIn> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let url = format!("http://{}", listener.local_addr()?);
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&seen);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let _ = serve(stream, &record, answer);
            }
        });
        Ok(StandIn { url, seen })
    }

    /// Every request head received so far: the request line, then its headers.
    pub fn seen(&self) -> Vec<String> {
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

fn serve(
    mut stream: TcpStream,
    record: &Mutex<Vec<String>>,
    answer: fn(&str) -> Answer,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut head = Vec::new();
    let mut byte = [0_u8; 1];
    while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte)? == 1 {
        head.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&head).to_string();
    if let Ok(mut seen) = record.lock() {
        seen.push(text.trim_end().to_string());
    }
    // A body (POSTed forms) is not read: no answer depends on it.
    let (status, content_type, body) = answer(text.lines().next().unwrap_or_default());
    write!(
        stream,
        "HTTP/1.1 {status} Stand-in\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// Sends a request exactly as written (no client-side path normalisation) and returns the status
/// and the whole response.
pub fn raw_request(port: u16, method: &str, target: &str) -> Result<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let body = if method == "GET" || method == "HEAD" { "" } else { "query=up" };
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let status = response.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    Ok((status, response))
}

/// Sends each request exactly as written and fails on the first whose status is not the one
/// expected, naming it.
pub fn expect_statuses(port: u16, expected: &[(&str, &str, u16)]) -> Result<()> {
    for (method, target, status) in expected {
        let (got, _) = raw_request(port, method, target)?;
        if got != *status {
            return Err(format!("{method} {target}: HTTP {got}, expected {status}").into());
        }
    }
    Ok(())
}
