//! `rtnl`: `ip`-like `link`, `addr`, `route`, `neigh` and `rule` listings
//! over the rtnl library, with `ip`'s plain and `-j` JSON output, plus
//! `dump --raw` and `decode` for RTNL bytes.

mod addr;
mod addr_select;
mod addr_set;
mod args;
mod batch;
mod completion;
mod ctx;
mod link;
mod link_kinds;
mod link_set;
mod link_stats;
mod man;
mod monitor;
mod names;
mod neigh;
mod neigh_set;
mod netns;
mod out;
mod prefix;
mod raw;
mod route;
mod route_set;
mod rule;
mod rule_set;
mod setter;

fn main() {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    if let Err(e) = args::run(&argv) {
        if !e.msg.is_empty() {
            eprintln!("{}", e.msg);
        }
        std::process::exit(e.code);
    }
}
