//! Regenerate completions/ and man/ from the clap definition: `cargo run --example generate`
//! (the same code as the binary's hidden `generate-docs DIR`).

fn main() -> std::io::Result<()> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    rfsession::generate::generate(root)?;
    println!(
        "wrote {}/completions and {}/man",
        root.display(),
        root.display()
    );
    Ok(())
}
