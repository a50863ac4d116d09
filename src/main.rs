//! The `peo` binary: parses the command line and hands it to `peo::cli`.

fn main() {
    // A reader that stops early (`peo recs | head`) closes the pipe: that ends the output, it
    // is no error worth a panic message.
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let msg = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if msg.contains("failed printing to stdout") && msg.contains("Broken pipe") {
            std::process::exit(0);
        }
        default(info);
    }));
    let opts = peo::cli::parse();
    let exit = peo::cli::run(opts);
    std::process::exit(exit as i32);
}
