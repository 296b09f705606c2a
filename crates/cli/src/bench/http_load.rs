//! The "over HTTP" workload of `shebao bench run` (issue 7): the real server (the router of
//! `shebao serve`, on a multi-thread tokio runtime of its own) runs in this process on the
//! benchmark's application and listens on 127.0.0.1:0. Keep-alive clients — one blocking
//! `TcpStream` each, speaking minimal HTTP/1.1 — first send card purchases with a bank
//! system's API token, then, on the same connections and for the same time, `GET /healthz`,
//! whose handler answers a constant: the HTTP ceiling of this server on this machine. The
//! purchase row's ratio is purchases over that ceiling; the ceiling's own row is compared with
//! the store's baseline like the other workloads. The server logs every request as
//! `shebao serve` does (`SHEBAO_LOG` sets the level).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use shebao_app::App;
use shebao_http::SignInRate;

use super::common::{Context, Measured, fail};

/// The trivial endpoint: its handler answers "ok" without touching the store.
const TRIVIAL_PATH: &str = "/healthz";
/// How long a client waits for an answer before the run fails.
const ANSWER_WAIT_MAX: Duration = Duration::from_secs(60);
/// Largest header section and body a client accepts.
const HEADER_LINES_MAX: usize = 100;
const BODY_MAX_BYTES: usize = 1024 * 1024;

/// What the rows are measured against, and how.
pub struct Setting<'a> {
    /// The rows' common fields (store, data set, clients, the store's baseline).
    pub context: &'a Context<'a>,
    pub seconds: f64,
    /// The financial PIN of every card.
    pub pin: &'a str,
    /// The bank system's login whose API token the clients send.
    pub bank_login: &'a str,
}

/// Starts the server on `app`, runs the purchases then the trivial endpoint with
/// `setting.clients` keep-alive clients for `setting.seconds` each, stops the server, and
/// returns two rows: `http_card_purchase` (beside the trivial endpoint) and `http_trivial`
/// (beside the store's baseline).
pub fn run(app: &App, cards: &[String], setting: &Setting<'_>) -> Result<Vec<Value>, String> {
    if cards.is_empty() {
        return Err("the HTTP workload needs at least one card".into());
    }
    if let Some(card) = cards.iter().find(|card| {
        !card
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    }) {
        return Err(format!(
            "card id {card:?} cannot go into a URL path unescaped"
        ));
    }
    let token = app
        .issue_api_token(setting.bank_login, 1)
        .map_err(fail)?
        .token;
    let server = Server::start(app.clone())?;
    let measured = measure_both(server.address, cards, &token, setting);
    let stopped = server.stop();
    let (purchases, trivial) = measured?;
    stopped?;

    let ceiling = format!(
        "GET {TRIVIAL_PATH} on the same server, keep-alive, {} clients",
        setting.context.clients
    );
    let beside_ceiling = Context {
        baseline: &ceiling,
        baseline_ops_per_s: trivial.ops_per_s(),
        ..*setting.context
    };
    Ok(vec![
        purchases.row("http_card_purchase", &beside_ceiling, json!({})),
        trivial.row("http_trivial", setting.context, json!({})),
    ])
}

/// The purchases, then the trivial endpoint on the same connections.
fn measure_both(
    address: SocketAddr,
    cards: &[String],
    token: &str,
    setting: &Setting<'_>,
) -> Result<(Measured, Measured), String> {
    let clients = (0..setting.context.clients.max(1))
        .map(|_| Client::connect(address))
        .collect::<Result<Vec<_>, _>>()?;
    let host = address.to_string();
    let body = json!({ "amount_fen": 1, "pin": setting.pin, "merchant": "bench-shop" }).to_string();
    let cards: Arc<Vec<String>> = Arc::new(cards.to_vec());
    let purchase = {
        let (host, token) = (host.clone(), token.to_owned());
        move |client: usize, n: usize, random: &mut Random| {
            let card = &cards[random.below(cards.len())];
            format!(
                "POST /api/v1/cards/{card}/purchases HTTP/1.1\r\nHost: {host}\r\n\
                 Authorization: Bearer {token}\r\nIdempotency-Key: bench-http-purchase-{client}-{n}\r\n\
                 Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            )
            .into_bytes()
        }
    };
    let (clients, purchases) = measure(clients, setting.seconds, purchase)?;
    let request = format!("GET {TRIVIAL_PATH} HTTP/1.1\r\nHost: {host}\r\n\r\n").into_bytes();
    let (_clients, trivial) = measure(clients, setting.seconds, move |_, _, _: &mut Random| {
        request.clone()
    })?;
    Ok((purchases, trivial))
}

/// What a client thread gives back: the client and its latencies, or why it stopped.
type ClientOutcome = Result<(Client, Vec<Duration>), String>;

/// Runs every client on its own thread for `seconds`; `request(client, n, random)` is the
/// n-th request of a client. Only 2xx answers count; any other answer, or a broken
/// connection, stops every client and fails the run. Gives the clients back for the next
/// workload.
fn measure(
    clients: Vec<Client>,
    seconds: f64,
    request: impl Fn(usize, usize, &mut Random) -> Vec<u8> + Send + Sync + 'static,
) -> Result<(Vec<Client>, Measured), String> {
    let request = Arc::new(request);
    let failed = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(seconds);
    let threads: Vec<JoinHandle<ClientOutcome>> = clients
        .into_iter()
        .enumerate()
        .map(|(index, mut client)| {
            let (request, failed) = (request.clone(), failed.clone());
            std::thread::spawn(move || {
                let mut random = Random::new(index)?;
                let mut latencies = Vec::new();
                let mut n = 0;
                while Instant::now() < deadline && !failed.load(Ordering::Relaxed) {
                    let bytes = request(index, n, &mut random);
                    let began = Instant::now();
                    let answer = client.exchange(&bytes);
                    let latency = began.elapsed();
                    match answer {
                        Ok((status, _)) if (200..300).contains(&status) => latencies.push(latency),
                        Ok((status, body)) => {
                            failed.store(true, Ordering::Relaxed);
                            return Err(format!(
                                "client {index}, request {n}: HTTP {status}: {}",
                                String::from_utf8_lossy(&body)
                            ));
                        }
                        Err(error) => {
                            failed.store(true, Ordering::Relaxed);
                            return Err(format!("client {index}, request {n}: {error}"));
                        }
                    }
                    n += 1;
                }
                Ok((client, latencies))
            })
        })
        .collect();
    let mut clients = Vec::new();
    let mut latencies = Vec::new();
    let mut first_failure = None;
    for thread in threads {
        match thread
            .join()
            .map_err(|_| "an HTTP client thread panicked")?
        {
            Ok((client, own)) => {
                clients.push(client);
                latencies.extend(own);
            }
            Err(error) => {
                first_failure.get_or_insert(error);
            }
        }
    }
    let elapsed = started.elapsed();
    if let Some(error) = first_failure {
        return Err(format!("the HTTP workload failed: {error}"));
    }
    Ok((clients, Measured::new(latencies, elapsed)))
}

/// The real server, on its own runtime and thread.
struct Server {
    address: SocketAddr,
    stop: tokio::sync::oneshot::Sender<()>,
    thread: JoinHandle<Result<(), String>>,
}

impl Server {
    /// Builds the runtime as `shebao serve` does and serves `app` on 127.0.0.1:0.
    fn start(app: App) -> Result<Self, String> {
        let (ready_sender, ready) = std::sync::mpsc::channel::<Result<SocketAddr, String>>();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("bench-http-server".into())
            .spawn(move || {
                let started = crate::config::server_runtime(&shebao_http::Limits::default())
                    .map_err(|e| format!("cannot build the server's runtime: {e}"))
                    .and_then(|runtime| {
                        let listener = runtime
                            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
                            .map_err(|e| format!("cannot listen on 127.0.0.1:0: {e}"))?;
                        let address = listener.local_addr().map_err(fail)?;
                        Ok((runtime, listener, address))
                    });
                let (runtime, listener, address) = match started {
                    Ok(started) => started,
                    Err(error) => {
                        let _unheard = ready_sender.send(Err(error.clone()));
                        return Err(error);
                    }
                };
                let _unheard = ready_sender.send(Ok(address));
                runtime
                    .block_on(shebao_http::serve(
                        listener,
                        app,
                        SignInRate::default(),
                        shebao_http::Limits::default(),
                        async move {
                            let _either_way = stopped.await;
                        },
                    ))
                    .map_err(|e| format!("the benchmark server failed: {e}"))
            })
            .map_err(|e| format!("cannot start the server's thread: {e}"))?;
        let address = ready
            .recv()
            .map_err(|_| "the benchmark server's thread ended before listening")??;
        Ok(Self {
            address,
            stop,
            thread,
        })
    }

    /// Shuts the server down (requests in flight finish) and waits for its thread.
    fn stop(self) -> Result<(), String> {
        let _already_gone = self.stop.send(());
        self.thread
            .join()
            .map_err(|_| "the benchmark server's thread panicked")?
    }
}

/// A keep-alive HTTP/1.1 connection: one request, then its whole answer, at a time.
struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Client {
    fn connect(address: SocketAddr) -> Result<Self, String> {
        let stream =
            TcpStream::connect(address).map_err(|e| format!("cannot connect to {address}: {e}"))?;
        stream.set_nodelay(true).map_err(fail)?;
        stream
            .set_read_timeout(Some(ANSWER_WAIT_MAX))
            .map_err(fail)?;
        stream
            .set_write_timeout(Some(ANSWER_WAIT_MAX))
            .map_err(fail)?;
        let writer = stream.try_clone().map_err(fail)?;
        Ok(Self {
            reader: BufReader::new(stream),
            writer,
        })
    }

    /// Sends `request` and reads the answer: its status and body.
    fn exchange(&mut self, request: &[u8]) -> Result<(u16, Vec<u8>), String> {
        self.writer
            .write_all(request)
            .map_err(|e| format!("cannot send the request: {e}"))?;
        let status_line = self.line()?;
        let status = status_line
            .strip_prefix("HTTP/1.1 ")
            .and_then(|rest| rest.get(..3))
            .and_then(|code| code.parse::<u16>().ok())
            .ok_or_else(|| format!("not an HTTP/1.1 status line: {status_line:?}"))?;
        let mut length = None;
        let mut chunked = false;
        let mut lines = 0;
        loop {
            let line = self.line()?;
            if line.is_empty() {
                break;
            }
            lines += 1;
            if lines > HEADER_LINES_MAX {
                return Err(format!("more than {HEADER_LINES_MAX} header lines"));
            }
            let (name, value) = line
                .split_once(':')
                .ok_or_else(|| format!("not a header line: {line:?}"))?;
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                let parsed = value
                    .parse::<usize>()
                    .map_err(|_| format!("bad Content-Length: {value:?}"))?;
                length = Some(parsed);
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                if !value.eq_ignore_ascii_case("chunked") {
                    return Err(format!("unexpected Transfer-Encoding: {value:?}"));
                }
                chunked = true;
            } else if name.eq_ignore_ascii_case("connection") && value.eq_ignore_ascii_case("close")
            {
                return Err(format!(
                    "the server closes the keep-alive connection (HTTP {status})"
                ));
            }
        }
        let body = match (length, chunked) {
            (Some(_), true) => return Err("both Content-Length and chunked".into()),
            (Some(length), false) => self.exact(length)?,
            (None, true) => self.chunks()?,
            (None, false) if status == 204 || status == 304 || status < 200 => Vec::new(),
            (None, false) => {
                return Err(format!(
                    "HTTP {status} without Content-Length or chunked encoding"
                ));
            }
        };
        Ok((status, body))
    }

    /// One line without its CRLF; the connection closing is an error.
    fn line(&mut self) -> Result<String, String> {
        let mut bytes = Vec::new();
        let read = (&mut self.reader)
            .take(8 * 1024)
            .read_until(b'\n', &mut bytes)
            .map_err(|e| format!("cannot read the answer: {e}"))?;
        if read == 0 {
            return Err("the server closed the connection".into());
        }
        let line = bytes
            .strip_suffix(b"\r\n")
            .ok_or("an answer line without CRLF (or longer than 8 KiB)")?;
        String::from_utf8(line.to_vec()).map_err(|_| "an answer line that is not UTF-8".into())
    }

    fn exact(&mut self, length: usize) -> Result<Vec<u8>, String> {
        if length > BODY_MAX_BYTES {
            return Err(format!("a body of {length} bytes"));
        }
        let mut body = vec![0; length];
        self.reader
            .read_exact(&mut body)
            .map_err(|e| format!("cannot read the body: {e}"))?;
        Ok(body)
    }

    fn chunks(&mut self) -> Result<Vec<u8>, String> {
        let mut body = Vec::new();
        loop {
            let line = self.line()?;
            let size = line.split(';').next().unwrap_or_default().trim();
            let size =
                usize::from_str_radix(size, 16).map_err(|_| format!("bad chunk size: {line:?}"))?;
            if size == 0 {
                break;
            }
            if body.len() + size > BODY_MAX_BYTES {
                return Err("a chunked body over the limit".into());
            }
            body.extend(self.exact(size)?);
            if !self.line()?.is_empty() {
                return Err("a chunk not followed by CRLF".into());
            }
        }
        // Trailers, up to the empty line.
        while !self.line()?.is_empty() {}
        Ok(body)
    }
}

/// xorshift64*, seeded from the operating system: which card each purchase uses.
struct Random(u64);

impl Random {
    fn new(client: usize) -> Result<Self, String> {
        let mut seed = [0; 8];
        getrandom::getrandom(&mut seed).map_err(fail)?;
        Ok(Self((u64::from_le_bytes(seed) ^ client as u64) | 1))
    }

    /// A number in `0..n` (`n > 0`; the modulo bias is irrelevant here).
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as usize % n.max(1)
    }
}
