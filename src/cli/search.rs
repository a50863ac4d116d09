//! `peo search`: ranked passages for a query.

use crate::cli::{Exit, FilterArgs, IndexDir};
use crate::index::PeoIndex;
use crate::model::PassageKind;
use crate::search::{format_hit, Filters, Marking};

/// Search the indexed publications.
///
/// The query is Dutch text: words find their inflections (organisatie/organisaties, reflecteer/reflecteren),
/// diacritics are folded (cliënten = clienten). Use "..." for phrases, AND/OR/NOT or +/- for
/// boolean logic, and field:value (wave:2022, type:rapport, kind:quote, audience:opleidingen).
///
/// Examples:
///   peo search werkdruk
///   peo search '"professionele ruimte"' --wave 2022
///   peo search reflectie --kind quote --format json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The query.
    query: String,
    #[command(flatten)]
    filters: FilterArgs,
    /// Only passages of this kind (heading, paragraph, recommendation, quote, key_figure).
    #[arg(long, value_name = "K")]
    kind: Vec<String>,
    /// At most this many hits.
    #[arg(long, value_name = "N", default_value_t = 10)]
    limit: usize,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: SearchFormat,
    #[command(flatten)]
    index: IndexDir,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SearchFormat {
    Text,
    Json,
}

pub(crate) fn filters(args: &FilterArgs, kinds: &[String]) -> anyhow::Result<Filters> {
    let kinds = kinds
        .iter()
        .map(|k| {
            PassageKind::parse(k).ok_or_else(|| {
                anyhow::anyhow!(
                    "unknown kind {k:?} (heading, paragraph, recommendation, quote, key_figure)"
                )
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Filters {
        waves: args.wave.clone(),
        doc_types: args.doc_type.clone(),
        kinds,
        audiences: args.audience.clone(),
        doc_ids: Vec::new(),
    })
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let filters = filters(&args.filters, &args.kind)?;
    let index = PeoIndex::open(&args.index.index)?;
    let hits = index.search(&args.query, &filters, args.limit)?;
    match args.format {
        SearchFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({ "query": args.query, "hits": hits })
            )?
        ),
        SearchFormat::Text => {
            if hits.is_empty() {
                println!("no hits for {:?}", args.query);
            }
            let marking = Marking::for_stdout();
            for (i, hit) in hits.iter().enumerate() {
                print!("{}", format_hit(i + 1, hit, marking));
            }
        }
    }
    Ok(Exit::Success)
}
