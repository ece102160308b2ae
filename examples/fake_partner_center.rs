//! The tests' fake Partner Center as a program, to try `twotier signin` without a real tenant:
//! `cargo run --example fake-partner-center` prints the `[partner_center]` section to use, then
//! serves on 127.0.0.1 until Ctrl-C. The sign-in completes after two polls; the customer list
//! has 2,500 customers in pages with continuation tokens (`-- --customers N` for another
//! number: `benches/measure_sync.sh` pulls 100,000).

#[path = "../tests/fake_partner_center/mod.rs"]
mod fake_partner_center;

use fake_partner_center::{FakePartnerCenter, Poll};

fn main() {
    let customers = match std::env::args().skip(1).collect::<Vec<_>>().as_slice() {
        [] => 2500,
        [flag, n] if flag == "--customers" => n.parse().unwrap_or_else(|_| usage()),
        _ => usage(),
    };
    let fake = FakePartnerCenter::start();
    fake.add_customers(customers);
    fake.with(|s| {
        s.interval = 2;
        // Every sign-in: pending twice, then done (the fake has no browser to sign in with).
        s.polls = std::iter::repeat_n([Poll::Pending, Poll::Pending, Poll::Success], 1000)
            .flatten()
            .collect();
    });
    println!(
        "A fake Partner Center is listening on {url}. Put this in a config file (say fake.toml):\n\n\
         {section}\n\
         then: twotier --config fake.toml signin   (it signs in after two polls; Ctrl-C here stops the server)",
        url = fake.url(),
        section = fake.config_section()
    );
    loop {
        std::thread::park();
    }
}

fn usage() -> ! {
    eprintln!("usage: fake-partner-center [--customers N]");
    std::process::exit(2)
}
