//! The tests' fake Partner Center as a program, to try `twotier signin` and `twotier sync`
//! without a real tenant: `cargo run --example fake-partner-center` prints the
//! `[partner_center]` section to use, then serves on 127.0.0.1 until Ctrl-C. The sign-in
//! completes after two polls. The book it serves has 2,500 customers (in pages with
//! continuation tokens) with 3 subscriptions each, unless told otherwise:
//!
//! `cargo run --release --example fake-partner-center -- CUSTOMERS SUBSCRIPTIONS_PER_CUSTOMER`
//!
//! (or `FAKE_PC_CUSTOMERS`, `FAKE_PC_SUBSCRIPTIONS`). Subscriptions are generated per request
//! from the customer's number, so 100,000 customers and 1,000,000 subscriptions cost only the
//! customers' memory.

#[path = "../tests/fake_partner_center/mod.rs"]
mod fake_partner_center;

use fake_partner_center::{FakePartnerCenter, Poll};

fn size(arg: Option<String>, var: &str, default: usize) -> usize {
    arg.or_else(|| std::env::var(var).ok())
        .map(|v| {
            v.trim()
                .replace(['_', ','], "")
                .parse()
                .unwrap_or_else(|_| {
                    eprintln!("{var}: {v:?} is not a whole number");
                    std::process::exit(2)
                })
        })
        .unwrap_or(default)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let customers = size(args.next(), "FAKE_PC_CUSTOMERS", 2500);
    let per_customer = size(args.next(), "FAKE_PC_SUBSCRIPTIONS", 3);
    let fake = FakePartnerCenter::start();
    fake.add_customers(customers);
    fake.with(|s| {
        s.interval = 2;
        s.subscriptions_per_customer = per_customer;
        // Every sign-in: pending twice, then done (the fake has no browser to sign in with).
        s.polls = std::iter::repeat_n([Poll::Pending, Poll::Pending, Poll::Success], 1000)
            .flatten()
            .collect();
    });
    println!(
        "A fake Partner Center is listening on {url}, with {customers} customers and {per_customer} subscriptions each. Put this in a config file (say fake.toml):\n\n\
         {section}\n\
         then: twotier --config fake.toml signin   (it signs in after two polls; Ctrl-C here stops the server)",
        url = fake.url(),
        section = fake.config_section()
    );
    use std::io::Write;
    let _ = std::io::stdout().flush();
    loop {
        std::thread::park();
    }
}
