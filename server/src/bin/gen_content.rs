//! Writes a synthetic content tree for development, tests and benchmarks: N stories and M
//! documents in both languages, deterministic from a seed, with accents and a few missing
//! translations. It copies `site.toml`, `texts.toml` and `shelves.toml` from the bundled content and never
//! writes into `content/`.
//!
//! `cargo run -p server --bin gen_content -- --stories 10000 --documents 5000 --seed 7 --out synthetic`

use std::{
    fmt::Write as _,
    fs,
    path::{Path, PathBuf},
    process::ExitCode,
};

/// A small deterministic generator (SplitMix64): the same seed gives the same tree.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const ES_WORDS: &[&str] = &[
    "prevención",
    "genocidio",
    "atrocidades",
    "masivas",
    "formación",
    "funcionarios",
    "mecanismos",
    "nacionales",
    "memoria",
    "reconciliación",
    "derechos",
    "humanos",
    "cooperación",
    "región",
    "América",
    "Latina",
    "África",
    "diálogo",
    "educación",
    "política",
    "pública",
    "instituciones",
    "víctimas",
    "justicia",
    "transición",
    "comunidad",
    "análisis",
    "alerta",
    "temprana",
    "protección",
    "población",
    "sociedad",
    "civil",
    "Estado",
    "compromiso",
    "red",
    "seminario",
    "capacitación",
    "acción",
];
const EN_WORDS: &[&str] = &[
    "prevention",
    "genocide",
    "atrocities",
    "mass",
    "training",
    "officials",
    "mechanisms",
    "national",
    "memory",
    "reconciliation",
    "rights",
    "human",
    "cooperation",
    "region",
    "Latin",
    "America",
    "Africa",
    "dialogue",
    "education",
    "policy",
    "public",
    "institutions",
    "victims",
    "justice",
    "transition",
    "community",
    "analysis",
    "early",
    "warning",
    "protection",
    "population",
    "society",
    "civil",
    "State",
    "commitment",
    "network",
    "seminar",
    "capacity",
    "action",
];
const TAGS: &[&str] = &[
    "training",
    "memory",
    "early-warning",
    "south-south",
    "networks",
    "justice",
    "education",
    "policy",
];
const PROGRAMS: &[&str] = &["africa", "latin-america"];
const SHELVES: &[&str] = &[
    "sheri-p-rosenberg",
    "prevention-guidance",
    "research-reports",
    "beyond-remembrance",
    "sncf-papers",
    "annual-reports",
    "training-resources",
    "national-mechanisms-booklet",
    "latin-american-network-reports",
];
const KINDS: &[&str] = &["guide", "report", "paper", "book", "brochure", "other"];
const LANGUAGES: &[&str] = &["es", "en", "fr", "pt"];

/// A sentence of `min` words and up to `spread - 1` more.
fn sentence(rng: &mut Rng, words: &[&str], min: usize, spread: usize) -> String {
    let length = min + if spread > 1 { rng.below(spread) } else { 0 };
    let mut out = String::new();
    for i in 0..length {
        let word = rng.pick(words);
        if i == 0 {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        } else {
            out.push(' ');
            out.push_str(word);
        }
    }
    out.push('.');
    out
}

fn paragraph(rng: &mut Rng, words: &[&str]) -> String {
    let count = 3 + rng.below(4);
    (0..count)
        .map(|_| sentence(rng, words, 8, 12))
        .collect::<Vec<_>>()
        .join(" ")
}

fn quote(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

fn list(items: &[&str]) -> String {
    items.iter().map(|i| format!("\"{i}\"")).collect::<Vec<_>>().join(", ")
}

struct Options {
    stories: usize,
    documents: usize,
    seed: u64,
    out: PathBuf,
    source: PathBuf,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        stories: 200,
        documents: 300,
        seed: 7,
        out: "synthetic".into(),
        source: "content".into(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = || {
            value
                .parse::<u64>()
                .map_err(|_| format!("{flag}: `{value}` is not a number"))
        };
        match flag.as_str() {
            "--stories" => options.stories = number()? as usize,
            "--documents" => options.documents = number()? as usize,
            "--seed" => options.seed = number()?,
            "--out" => options.out = value.into(),
            "--source" => options.source = value.into(),
            other => return Err(format!("unknown option {other}")),
        }
    }
    if options
        .out
        .canonicalize()
        .ok()
        .zip(options.source.canonicalize().ok())
        .is_some_and(|(a, b)| a == b)
    {
        return Err("the output folder must not be the bundled content".into());
    }
    Ok(options)
}

/// The file that marks a folder as written by this tool, and so safe for it to replace.
const MARKER: &str = ".generated-content";

/// Empties `out` for a new tree: only a folder this tool wrote (it holds [`MARKER`]), an empty
/// one, or none at all. Any other folder is refused, never deleted.
fn prepare(out: &Path) -> Result<(), String> {
    let entries = match fs::read_dir(out) {
        Ok(entries) => entries.count(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => 0,
        Err(e) => return Err(format!("{}: {e}", out.display())),
    };
    if entries > 0 {
        if !out.join(MARKER).is_file() {
            return Err(format!(
                "{} is not empty and was not written by gen_content ({MARKER} is missing): refusing to replace it",
                out.display()
            ));
        }
        fs::remove_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    fs::write(
        out.join(MARKER),
        "Written by gen_content; replaced whole on its next run.\n",
    )
    .map_err(|e| format!("{}: {e}", out.display()))
}

fn write_tree(options: &Options) -> std::io::Result<()> {
    fs::create_dir_all(options.out.join("stories"))?;
    fs::create_dir_all(options.out.join("resources"))?;
    for file in ["site.toml", "texts.toml", "shelves.toml"] {
        fs::copy(options.source.join(file), options.out.join(file))?;
    }
    let mut rng = Rng(options.seed);
    for n in 0..options.stories {
        let id = format!("story-{n:05}");
        let date = format!(
            "{}-{:02}-{:02}",
            2005 + rng.below(20),
            1 + rng.below(12),
            1 + rng.below(28)
        );
        let kind = if rng.chance(40) { "impact" } else { "news" };
        let programs: Vec<&str> = PROGRAMS.iter().copied().filter(|_| rng.chance(50)).collect();
        let tags = [rng.pick(TAGS), rng.pick(TAGS)];
        let tags: Vec<&str> = if tags[0] == tags[1] {
            vec![tags[0]]
        } else {
            tags.to_vec()
        };
        // About one story in ten has a single language.
        let languages: &[(&str, &[&str])] = match rng.below(20) {
            0 => &[("es", ES_WORDS)],
            1 => &[("en", EN_WORDS)],
            _ => &[("es", ES_WORDS), ("en", EN_WORDS)],
        };
        for (code, words) in languages {
            let title = sentence(&mut rng, words, 6, 6);
            let title = title.trim_end_matches('.');
            let summary = sentence(&mut rng, words, 18, 10);
            let mut body = String::new();
            for p in 0..4 + rng.below(4) {
                let _ = writeln!(body, "{}\n", paragraph(&mut rng, words));
                if p == 1 {
                    let _ = writeln!(body, "> {}\n", sentence(&mut rng, words, 14, 0));
                }
                if p == 2 {
                    let _ = writeln!(body, "## {}\n", sentence(&mut rng, words, 4, 0).trim_end_matches('.'));
                    let _ = writeln!(
                        body,
                        "- {}\n- {}\n",
                        sentence(&mut rng, words, 6, 0),
                        sentence(&mut rng, words, 6, 0)
                    );
                    let _ = writeln!(
                        body,
                        "[{}](https://www.un.org/en/genocideprevention/)\n",
                        sentence(&mut rng, words, 3, 0).trim_end_matches('.')
                    );
                }
            }
            let text = format!(
                "+++\ntitle = \"{}\"\ndate = {date}\nsummary = \"{}\"\nkind = \"{kind}\"\nprograms = [{}]\ntags = [{}]\n+++\n\n{body}",
                quote(title),
                quote(&summary),
                list(&programs),
                list(&tags),
            );
            fs::write(options.out.join("stories").join(format!("{id}.{code}.md")), text)?;
        }
    }
    for n in 0..options.documents {
        let id = format!("document-{n:05}");
        let original = rng.pick(LANGUAGES);
        let mut languages = vec![original];
        if rng.chance(40) {
            let second = rng.pick(LANGUAGES);
            if second != original {
                languages.push(second);
            }
        }
        let programs: Vec<&str> = PROGRAMS.iter().copied().filter(|_| rng.chance(40)).collect();
        let es = sentence(&mut rng, ES_WORDS, 5, 8);
        let en = sentence(&mut rng, EN_WORDS, 5, 8);
        // Titles: always in the original language (es or en); sometimes only that one.
        let (with_es, with_en) = match original {
            "es" => (true, !rng.chance(15)),
            "en" => (!rng.chance(15), true),
            _ => (true, true),
        };
        let mut text = format!(
            "shelf = \"{}\"\nyear = {}\nlanguages = [{}]\nkind = \"{}\"\nurl = \"https://documents.example.org/{id}.pdf\"\nsize = {}\npages = {}\nprograms = [{}]\n\n[title]\n",
            rng.pick(SHELVES),
            2005 + rng.below(20),
            list(&languages),
            rng.pick(KINDS),
            50_000 + rng.below(5_000_000),
            4 + rng.below(300),
            list(&programs),
        );
        if with_es {
            let _ = writeln!(text, "es = \"{}\"", quote(es.trim_end_matches('.')));
        }
        if with_en {
            let _ = writeln!(text, "en = \"{}\"", quote(en.trim_end_matches('.')));
        }
        let _ = write!(
            text,
            "\n[summary]\nes = \"{}\"\nen = \"{}\"\n",
            quote(&sentence(&mut rng, ES_WORDS, 20, 0)),
            quote(&sentence(&mut rng, EN_WORDS, 20, 0))
        );
        fs::write(options.out.join("resources").join(format!("{id}.toml")), text)?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("gen_content: {e}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = prepare(&options.out) {
        eprintln!("gen_content: {e}");
        return ExitCode::FAILURE;
    }
    match write_tree(&options) {
        Ok(()) => {
            println!(
                "wrote {} stories and {} documents (seed {}) to {}",
                options.stories,
                options.documents,
                options.seed,
                options.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen_content: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_only_a_folder_it_wrote() {
        let dir = std::env::temp_dir().join(format!("aipr-gen-content-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("notes.txt"), "mine").unwrap();
        assert!(prepare(&dir).unwrap_err().contains("refusing to replace it"));
        assert!(dir.join("notes.txt").is_file(), "nothing was deleted");
        fs::remove_file(dir.join("notes.txt")).unwrap();
        prepare(&dir).expect("an empty folder is taken");
        fs::write(dir.join("old.md"), "old").unwrap();
        prepare(&dir).expect("a folder it wrote is replaced");
        assert!(!dir.join("old.md").exists() && dir.join(MARKER).is_file());
        let _ = fs::remove_dir_all(&dir);
    }
}
