//! Regenerate completions/ and man/ from the clap definition: `cargo run --example generate`.

#[path = "../tests/it/generate.rs"]
mod generate;

fn main() -> std::io::Result<()> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    generate::generate(root)?;
    println!(
        "wrote {}/completions and {}/man",
        root.display(),
        root.display()
    );
    Ok(())
}
