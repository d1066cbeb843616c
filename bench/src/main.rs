//! The measurements behind `cargo xtask bench`, built in release mode. Each run
//! is its own process, so that its peak memory is its own.
//!
//! ```text
//! secgen-bench codegen RUNS CONFIG.yaml SPEC     median time of `secgen_codegen::generate`
//!                                                (CONFIG: a generator config or an api.yaml)
//! secgen-bench serve ITEMS                       a loopback AMP events API; prints its URL,
//!                                                serves until standard input closes
//! secgen-bench stream generated|handwritten URL  streams every event; prints items, seconds
//!                                                and peak resident memory
//! ```

use std::time::{Duration, Instant};

use futures::TryStreamExt;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::io::AsyncReadExt;
use wiremock::{MockServer, Request, ResponseTemplate};

/// AMP's maximum page size.
const PAGE_SIZE: usize = 500;
const CLIENT_ID: &str = "bench-client";
const API_KEY: &str = "bench-api-key";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a tokio runtime");
    match args.as_slice() {
        ["codegen", runs, config, spec] => codegen(runs.parse().expect("RUNS is a number"), config, spec),
        ["serve", items] => runtime.block_on(serve(items.parse().expect("ITEMS is a number"))),
        ["stream", client, url] => runtime.block_on(stream(client, url)),
        _ => {
            eprintln!("usage: secgen-bench codegen RUNS CONFIG SPEC | serve ITEMS | stream generated|handwritten URL");
            std::process::exit(2);
        }
    }
}

/// Prints the median and the fastest of `runs` generations, in seconds.
fn codegen(runs: usize, config: &str, spec: &str) {
    // A generator config, or an `api.yaml` whose `generate:` section is one.
    let mut yaml: yaml_serde::Value =
        yaml_serde::from_slice(&std::fs::read(config).expect("the config file")).expect("YAML");
    if let Some(generate) = yaml.get("generate") {
        yaml = generate.clone();
    }
    let config: secgen_codegen::ApiConfig = yaml_serde::from_value(yaml).expect("a generator config");
    let bytes = std::fs::read(spec).expect("the spec file");
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            let generated = secgen_codegen::generate(spec, &bytes, &config).expect("the spec generates");
            let elapsed = started.elapsed();
            std::hint::black_box(generated);
            elapsed
        })
        .collect();
    times.sort();
    println!("median={:.3} min={:.3}", times[times.len() / 2].as_secs_f64(), times[0].as_secs_f64());
}

/// Serves `items` events in pages of 500, linked by `metadata.links.next` as AMP does.
async fn serve(items: usize) {
    let server = MockServer::builder().disable_request_recording().start().await;
    let base = format!("{}/v1/events", server.uri());
    let pages: Vec<Vec<u8>> = (0..items.div_ceil(PAGE_SIZE)).map(|page| page_body(&base, page, items)).collect();
    let pages = std::sync::Arc::new(pages);
    wiremock::Mock::given(wiremock::matchers::path("/v1/events"))
        .respond_with(move |request: &Request| {
            let offset: usize = request
                .url
                .query_pairs()
                .find(|(key, _)| key == "offset")
                .and_then(|(_, value)| value.parse().ok())
                .unwrap_or(0);
            let body = pages.get(offset / PAGE_SIZE).cloned().unwrap_or_else(|| page_body(&base, usize::MAX, 0));
            ResponseTemplate::new(200).set_body_raw(body, "application/json")
        })
        .mount(&server)
        .await;
    println!("{}/v1", server.uri());
    // Serve until the parent closes our standard input.
    let _ = tokio::io::stdin().read_to_end(&mut Vec::new()).await;
}

fn page_body(base: &str, page: usize, items: usize) -> Vec<u8> {
    let first = page.saturating_mul(PAGE_SIZE);
    let last = (first + PAGE_SIZE).min(items);
    let data: Vec<Value> =
        (first..last).map(|index| integration_tests::amp_event(index as i64, index as i64)).collect();
    let mut links = json!({"self": format!("{base}?limit={PAGE_SIZE}&offset={first}")});
    if last < items {
        links["next"] = json!(format!("{base}?limit={PAGE_SIZE}&offset={last}"));
    }
    let results =
        json!({"total": items, "current_item_count": data.len(), "index": first, "items_per_page": PAGE_SIZE});
    serde_json::to_vec(&json!({"version": "v1.2.0", "metadata": {"links": links, "results": results}, "data": data}))
        .expect("JSON")
}

/// Streams every event from `url` and prints what it took.
async fn stream(client: &str, url: &str) {
    let started = Instant::now();
    let (items, checksum) = match client {
        "generated" => generated_client(url).await,
        "handwritten" => handwritten_loop(url).await,
        other => panic!("no client `{other}`: generated or handwritten"),
    };
    let seconds = started.elapsed().as_secs_f64();
    println!("items={items} seconds={seconds:.3} peak_rss_kib={} checksum={checksum}", peak_rss_kib());
}

/// The generated AMP client's event stream.
async fn generated_client(url: &str) -> (u64, i64) {
    let client = cisco_amp::Client::builder()
        .base_url(url)
        .auth(secgen_runtime::Auth::basic(CLIENT_ID, API_KEY))
        .allow_http()
        .build()
        .expect("a client");
    let params = cisco_amp::types::ListEventsParams { limit: Some(PAGE_SIZE as i64), ..Default::default() };
    client
        .list_events_stream(&params)
        .try_fold((0, 0), |(count, sum), event| async move { Ok((count + 1, sum ^ event.id.unwrap_or(0))) })
        .await
        .expect("every page")
}

/// What one would write by hand: reqwest, serde, and a loop over `next` links,
/// decoding into the same event type.
async fn handwritten_loop(url: &str) -> (u64, i64) {
    #[derive(Deserialize)]
    struct Page {
        data: Vec<cisco_amp::types::Event>,
        metadata: Metadata,
    }
    #[derive(Deserialize)]
    struct Metadata {
        links: Links,
    }
    #[derive(Deserialize)]
    struct Links {
        next: Option<String>,
    }
    let http = reqwest::Client::new();
    let mut next = Some(format!("{url}/events?limit={PAGE_SIZE}&offset=0"));
    let (mut count, mut sum) = (0, 0);
    while let Some(page_url) = next.take() {
        let response = http.get(&page_url).basic_auth(CLIENT_ID, Some(API_KEY)).send().await.expect("a response");
        let bytes = response.error_for_status().expect("a 200").bytes().await.expect("a body");
        let page: Page = serde_json::from_slice(&bytes).expect("a page");
        for event in page.data {
            count += 1;
            sum ^= event.id.unwrap_or(0);
        }
        next = page.metadata.links.next;
    }
    (count, sum)
}

/// The process's peak resident set size (`VmHWM`), in KiB.
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|rest| rest.trim().trim_end_matches(" kB").trim().parse().ok())
        })
        .unwrap_or(0)
}
