//! Serving a Rocket instance over real HTTP on a loopback port, for end-to-end tests.

use std::net::{SocketAddr, TcpListener};
use std::sync::mpsc;
use std::time::Duration;

use rocket::fairing::AdHoc;
use rocket::figment::Figment;
use rocket::{Build, Rocket};

/// Rocket's default configuration with logging off: the start of every test server's configuration.
pub fn quiet_config() -> Figment {
    rocket::Config::figment().merge(("log_level", "off"))
}

/// Launches `rocket` on `127.0.0.1` at a free port in a background thread and returns its address once
/// it accepts connections. The server lives until the test process exits.
pub fn serve(rocket: Rocket<Build>) -> SocketAddr {
    let port = free_port();
    let figment = rocket.figment().clone().merge(("address", "127.0.0.1")).merge(("port", port));
    let (ready, started) = mpsc::channel();
    let rocket = rocket.configure(figment).attach(AdHoc::on_liftoff("test server ready", move |_| {
        Box::pin(async move {
            let _ = ready.send(());
        })
    }));
    std::thread::spawn(move || {
        if let Err(e) = rocket::execute(rocket.launch()) {
            panic!("test server failed to launch: {e}");
        }
    });
    started.recv_timeout(Duration::from_secs(60)).expect("test server did not start within 60 s");
    SocketAddr::from(([127, 0, 0, 1], port))
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("bind a loopback port").port()
}
