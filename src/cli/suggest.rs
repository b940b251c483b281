//! `portreg suggest`.

use std::fmt::Write as _;

use crate::cli::args::{ListFormat, SuggestArgs};
use crate::cli::shared::{print, resolve, Fatal};
use crate::model::Transport;
use crate::rules::view::record_place;
use crate::tools::suggest::{check_name, free_ports, USER_HI, USER_LO};

pub fn run(args: SuggestArgs) -> Result<u8, Fatal> {
    let mut transports: Vec<Transport> = Vec::new();
    for t in args
        .transport
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
    {
        let Some(parsed) = Transport::parse(&t.to_ascii_lowercase()) else {
            return Err(Fatal(format!(
                "`{t}` is not a transport; use tcp, udp, sctp or dccp (comma-separated)"
            )));
        };
        if !transports.contains(&parsed) {
            transports.push(parsed);
        }
    }
    if transports.is_empty() && args.name.is_none() {
        transports.push(Transport::Tcp);
    }
    if let Some(n) = args.near {
        if !(USER_LO..=USER_HI).contains(&n) {
            eprintln!(
                "note: --near {n} is outside the User range {USER_LO}-{USER_HI}; only User ports are suggested"
            );
        }
    }

    let config = crate::cli::shared::settings::load_config(args.source.config.as_deref())?;
    let from_config = crate::cli::shared::settings::config_registry(config.as_ref());
    let Some((path, origin)) = resolve::locate(args.source.registry.as_deref(), from_config) else {
        return Err(Fatal(
            "`suggest` needs the registry and none was found: run `portreg registry update`, \
             pass --registry <FILE>, or set PORTREG_REGISTRY"
                .into(),
        ));
    };
    let registry = resolve::load(&path, &origin)?;
    let count = usize::from(args.count);
    let ports = free_ports(&registry, &transports, args.near, count);
    let name = args
        .name
        .as_deref()
        .map(|n| check_name(&registry, n, count));
    let code = u8::from(name.as_ref().is_some_and(|n| !n.is_free()));

    let json = args.json || args.format == ListFormat::Json;
    let text = if json {
        let name_json = name.as_ref().map(|n| {
            serde_json::json!({
                "name": n.name,
                "free": n.is_free(),
                "syntax": n.syntax,
                "taken": n.taken.iter().map(|r| serde_json::json!({
                    "name": r.name,
                    "place": record_place(r),
                    "protocol": r.protocol.map(|t| t.as_str()),
                    "number": r.number.map(|n| n.to_string()),
                })).collect::<Vec<_>>(),
                "similar": n.similar.iter().map(|s| serde_json::json!({
                    "name": s.record_name, "kind": s.kind.as_str(),
                })).collect::<Vec<_>>(),
                "variants": n.variants,
            })
        });
        let value = serde_json::json!({
            "registry": {
                "path": registry.path,
                "updated": registry.updated,
            },
            "transports": transports.iter().map(|t| t.as_str()).collect::<Vec<_>>(),
            "near": args.near,
            "ports": ports,
            "name": name_json,
        });
        crate::render::safe::json(format!("{}\n", serde_json::to_string_pretty(&value)?))
    } else {
        // Names come from the registry and the command line: shown on one line each, with
        // control characters visible.
        let shown = |s: &str| crate::render::safe::line(s).into_owned();
        let mut out = String::new();
        let _ = writeln!(
            out,
            "registry: {} (updated {})",
            shown(&registry.path),
            shown(registry.updated.as_deref().unwrap_or("unknown"))
        );
        if !transports.is_empty() {
            let ts: Vec<&str> = transports.iter().map(|t| t.as_str()).collect();
            let order = match args.near {
                Some(n) => format!("nearest to {n} first"),
                None => "ascending".to_string(),
            };
            if ports.is_empty() {
                let _ = writeln!(out, "no free User port on {}", ts.join("+"));
            } else {
                let _ = writeln!(out, "free User ports on {}, {order}:", ts.join("+"));
                for p in &ports {
                    let _ = writeln!(out, "  {p}");
                }
            }
        }
        if let Some(n) = &name {
            if let Some(problem) = &n.syntax {
                let _ = writeln!(
                    out,
                    "name `{}`: not valid (RFC 6335 §5.1): {}",
                    shown(&n.name),
                    shown(problem)
                );
            } else if !n.taken.is_empty() {
                let mut places: Vec<String> = Vec::new();
                for r in &n.taken {
                    let p = record_place(r);
                    if !places.contains(&p) {
                        places.push(p);
                    }
                }
                let _ = writeln!(
                    out,
                    "name `{}`: taken ({})",
                    shown(&n.name),
                    shown(&places.join(", "))
                );
            } else {
                let _ = writeln!(out, "name `{}`: free", shown(&n.name));
            }
            if !n.similar.is_empty() {
                let list: Vec<String> = n
                    .similar
                    .iter()
                    .map(|s| format!("{} ({})", shown(s.record_name), s.kind.as_str()))
                    .collect();
                let _ = writeln!(out, "  similar registered names: {}", list.join(", "));
            }
            if !n.variants.is_empty() {
                let _ = writeln!(out, "  free variants: {}", shown(&n.variants.join(", ")));
            }
        }
        out
    };
    print(&text)?;
    Ok(code)
}
