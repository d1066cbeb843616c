//! The oas-examples with form and multipart bodies (`file-uploads`, `form-data`,
//! from the corpus `scripts/install-corpus.sh` installs) do not only compile:
//! their generated clients send what the specs say. A small program built
//! against both crates calls each operation against a loopback wiremock server
//! and prints the requests it received, which this test compares byte for byte.

use std::collections::BTreeMap;
use std::process::Command;

use secgen_codegen::ApiConfig;
use xtask::{corpus, scratch, workspace};

fn generated(file: &str, crate_name: &str) -> BTreeMap<String, String> {
    let path = corpus::installed_dir().join("@readme/oas-examples/3.0/json").join(file);
    let bytes =
        std::fs::read(&path).unwrap_or_else(|_| panic!("{} is missing: run scripts/install-corpus.sh", path.display()));
    let config: ApiConfig =
        yaml_serde::from_str(&format!("crate_name: {crate_name}\nversion: 0.1.0\ndescription: Test\n")).unwrap();
    secgen_codegen::generate(file, &bytes, &config).unwrap_or_else(|error| panic!("{error}")).files
}

const SENDER_MANIFEST: &str = r#"[package]
name = "sender"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
uploads = { path = "../uploads" }
form-data = { path = "../form-data" }
secgen-runtime.workspace = true
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
wiremock = "0.6"
"#;

/// Calls each operation against a wiremock server answering `{}`, then prints
/// every request: method and path, content type, then the body with its
/// boundary replaced by `BOUNDARY`.
const SENDER_MAIN: &str = r##"use secgen_runtime::{Auth, FilePart};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::main]
async fn main() {
    let server = MockServer::start().await;
    let empty = ResponseTemplate::new(200).set_body_raw("{}", "application/json");
    Mock::given(wiremock::matchers::any()).respond_with(empty).mount(&server).await;
    let base = server.uri();

    let uploads = uploads::Client::builder().base_url(base.as_str()).auth(Auth::none()).build().unwrap();
    let document = uploads::types::PostAnythingMultipartFormdataBody {
        order_id: Some(1234),
        user_id: Some(5678),
        document_file: Some(FilePart::bytes("%PDF-1.4 ...").file_name("invoice 7.pdf")),
    };
    uploads.post_anything_multipart_formdata(&document).await.unwrap();
    let files = uploads::types::PutAnythingMultipartFormdataBody {
        filename: Some(vec![FilePart::bytes("one").file_name("a.txt"), FilePart::bytes("two").file_name("b.txt")]),
    };
    uploads.put_anything_multipart_formdata(&files).await.unwrap();

    let form = form_data::Client::builder().base_url(base.as_str()).auth(Auth::none()).build().unwrap();
    let token = form_data::types::DemoFormDataBody {
        client_id: "my id".to_owned(),
        client_secret: "s3cr&t".to_owned(),
        scope: Some(3),
    };
    // Only the request matters here: `{}` is not the token response the spec describes.
    match form.demo_form_data(&token).await {
        Ok(_) | Err(secgen_runtime::Error::Decode { .. }) => {}
        Err(error) => panic!("{error}"),
    }

    for request in server.received_requests().await.unwrap() {
        let content_type = request.headers.get("content-type").map(|value| value.to_str().unwrap().to_owned()).unwrap_or_default();
        let mut text = String::from_utf8_lossy(&request.body).into_owned();
        if let Some((_, boundary)) = content_type.split_once("boundary=") {
            text = text.replace(boundary, "BOUNDARY");
        }
        let content_type = content_type.split(';').next().unwrap_or_default();
        println!("{} {}\n{content_type}\n{text}\n----", request.method, request.url.path());
    }
}
"##;

#[test]
fn form_and_multipart_examples_send_what_their_specs_say() {
    let dir = workspace::root().join("target/scratch/oas-examples-send");
    let _ = std::fs::remove_dir_all(&dir);
    scratch::write_crate(&dir.join("uploads"), &generated("file-uploads.json", "uploads")).unwrap();
    scratch::write_crate(&dir.join("form-data"), &generated("form-data.json", "form-data")).unwrap();
    let sender = BTreeMap::from([
        ("Cargo.toml".to_owned(), SENDER_MANIFEST.to_owned()),
        ("src/main.rs".to_owned(), SENDER_MAIN.to_owned()),
    ]);
    scratch::write_crate(&dir.join("sender"), &sender).unwrap();
    scratch::write_workspace(&dir, &["uploads".to_owned(), "form-data".to_owned(), "sender".to_owned()]).unwrap();
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(["run", "--quiet", "-p", "sender"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", workspace::root().join("target/verify-target"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}\n{stdout}", String::from_utf8_lossy(&output.stderr));
    let expected = "\
POST /anything/multipart-formdata
multipart/form-data
--BOUNDARY\r
Content-Disposition: form-data; name=\"orderId\"\r
\r
1234\r
--BOUNDARY\r
Content-Disposition: form-data; name=\"userId\"\r
\r
5678\r
--BOUNDARY\r
Content-Disposition: form-data; name=\"documentFile\"; filename=\"invoice 7.pdf\"\r
Content-Type: application/octet-stream\r
\r
%PDF-1.4 ...\r
--BOUNDARY--\r

----
PUT /anything/multipart-formdata
multipart/form-data
--BOUNDARY\r
Content-Disposition: form-data; name=\"filename\"; filename=\"a.txt\"\r
Content-Type: application/octet-stream\r
\r
one\r
--BOUNDARY\r
Content-Disposition: form-data; name=\"filename\"; filename=\"b.txt\"\r
Content-Type: application/octet-stream\r
\r
two\r
--BOUNDARY--\r

----
POST /anything
application/x-www-form-urlencoded
client_id=my+id&client_secret=s3cr%26t&scope=3
----
";
    assert_eq!(stdout, expected);
}
