//! The oas-examples with form and multipart bodies (`file-uploads`, `form-data`,
//! from the corpus `scripts/install-corpus.sh` installs) do not only compile:
//! their generated clients send what the specs say. A small program built
//! against both crates calls each operation against a loopback socket and
//! prints the raw requests, which this test compares byte for byte.

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
"#;

/// Answers every request with `{}` and prints it: method and path, content type,
/// then the body (chunked or not), boundaries replaced by `BOUNDARY`.
const SENDER_MAIN: &str = r##"use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;

use secgen_runtime::{Auth, FilePart};

fn serve(listener: TcpListener) {
    for stream in listener.incoming() {
        let mut stream = stream.unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut head = Vec::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" { break; }
            head.push(line.trim_end().to_owned());
        }
        let header = |name: &str| head.iter().find_map(|line| {
            let (key, value) = line.split_once(": ")?;
            key.eq_ignore_ascii_case(name).then(|| value.to_owned())
        });
        let mut body = Vec::new();
        if let Some(length) = header("content-length") {
            body.resize(length.parse().unwrap(), 0);
            reader.read_exact(&mut body).unwrap();
        } else if header("transfer-encoding").as_deref() == Some("chunked") {
            loop {
                let mut size = String::new();
                reader.read_line(&mut size).unwrap();
                let size = usize::from_str_radix(size.trim(), 16).unwrap();
                let mut chunk = vec![0; size + 2];
                reader.read_exact(&mut chunk).unwrap();
                if size == 0 { break; }
                body.extend_from_slice(&chunk[..size]);
            }
        }
        let content_type = header("content-type").unwrap_or_default();
        let mut text = String::from_utf8_lossy(&body).into_owned();
        if let Some((_, boundary)) = content_type.split_once("boundary=") {
            text = text.replace(boundary, "BOUNDARY");
        }
        let content_type = content_type.split(';').next().unwrap_or_default().to_owned();
        println!("{}\n{content_type}\n{text}\n----", head[0]);
        let reply = "{}";
        let reply = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{reply}", reply.len());
        stream.write_all(reply.as_bytes()).unwrap();
    }
}

#[tokio::main]
async fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || serve(listener));

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
POST /anything/multipart-formdata HTTP/1.1
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
PUT /anything/multipart-formdata HTTP/1.1
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
POST /anything HTTP/1.1
application/x-www-form-urlencoded
client_id=my+id&client_secret=s3cr%26t&scope=3
----
";
    assert_eq!(stdout, expected);
}
