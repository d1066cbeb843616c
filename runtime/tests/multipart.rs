//! `multipart/form-data` bodies over real loopback HTTP: the exact bytes on the
//! wire, files streamed from disk, and what a retry sends again.

mod support;

use bytes::Bytes;
use secgen_runtime::{Auth, Error, FilePart, Method, Multipart, Request};
use support::{Sequence, client};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn upload(body: Multipart) -> Request {
    Request::new(Method::POST, "addAttachment", "/incidents/7/attachments/").multipart_body(body)
}

/// Answers 429 (retry at once) `rejections` times, then 201.
async fn server(rejections: usize) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(Sequence::new(move |n| match n < rejections {
            true => ResponseTemplate::new(429).insert_header("retry-after", "0"),
            false => ResponseTemplate::new(201),
        }))
        .mount(&server)
        .await;
    server
}

/// Every request's body as text, with the boundary its content type names
/// replaced by `BOUNDARY`.
async fn bodies(server: &MockServer) -> Vec<String> {
    let received = server.received_requests().await.unwrap();
    received
        .iter()
        .map(|request| {
            let content_type = request.headers.get("content-type").unwrap().to_str().unwrap();
            let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect(content_type);
            String::from_utf8_lossy(&request.body).replace(boundary, "BOUNDARY")
        })
        .collect()
}

#[tokio::test]
async fn text_and_file_parts_are_sent_as_rfc_7578_says_with_file_names_escaped() {
    let server = server(0).await;
    let body = Multipart::new()
        .value("file_name", &"q3 \"final\".csv", None)
        .value("reference", &0, None)
        .value("absent", &None::<String>, None)
        .value("tags", &["a", "b"], None)
        .value("meta", &serde_json::json!({"k": 1}), None)
        .file(
            "attachment",
            &FilePart::bytes("1,2\r\n").file_name("q3 \"final\"\r\n.csv").content_type("text/csv"),
            None,
        )
        .file("raw", &FilePart::bytes(vec![0u8, 255]), Some("image/png"));
    client(&server.uri(), Auth::none()).send(upload(body)).await.unwrap();
    let expected = "--BOUNDARY\r\n\
        Content-Disposition: form-data; name=\"file_name\"\r\n\r\n\
        q3 \"final\".csv\r\n\
        --BOUNDARY\r\n\
        Content-Disposition: form-data; name=\"reference\"\r\n\r\n\
        0\r\n\
        --BOUNDARY\r\n\
        Content-Disposition: form-data; name=\"tags\"\r\n\r\n\
        a\r\n\
        --BOUNDARY\r\n\
        Content-Disposition: form-data; name=\"tags\"\r\n\r\n\
        b\r\n\
        --BOUNDARY\r\n\
        Content-Disposition: form-data; name=\"meta\"\r\n\
        Content-Type: application/json\r\n\r\n\
        {\"k\":1}\r\n\
        --BOUNDARY\r\n\
        Content-Disposition: form-data; name=\"attachment\"; filename=\"q3 %22final%22%0D%0A.csv\"\r\n\
        Content-Type: text/csv\r\n\r\n\
        1,2\r\n\r\n\
        --BOUNDARY\r\n\
        Content-Disposition: form-data; name=\"raw\"\r\n\
        Content-Type: image/png\r\n\r\n";
    let text = bodies(&server).await.remove(0);
    assert!(text.starts_with(expected), "{text}");
    assert!(text.ends_with("\r\n--BOUNDARY--\r\n"), "{text}");
    // The binary part's bytes, unchanged (not UTF-8, so compared raw).
    let raw = server.received_requests().await.unwrap().remove(0).body;
    let png_part = b"Content-Type: image/png\r\n\r\n\x00\xff\r\n--";
    assert!(raw.windows(png_part.len()).any(|window| window == png_part));
}

#[tokio::test]
async fn a_file_on_disk_is_streamed_and_sent_whole_again_on_a_retry() {
    let server = server(1).await;
    let dir = std::env::temp_dir().join(format!("secgen-multipart-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("capture.pcap");
    let contents = "x".repeat(300_000);
    std::fs::write(&path, &contents).unwrap();
    let body = Multipart::new().file("attachment", &FilePart::path(&path), None);
    client(&server.uri(), Auth::none()).send(upload(body)).await.unwrap();
    let sent = bodies(&server).await;
    assert_eq!(sent.len(), 2, "the 429, then the retry");
    assert_eq!(sent[0], sent[1], "the retry sends the same body");
    let expected = format!(
        "--BOUNDARY\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"capture.pcap\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n{contents}\r\n--BOUNDARY--\r\n"
    );
    assert!(sent[1] == expected, "the file's {} bytes under its own name", contents.len());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_streamed_part_is_sent_once_and_a_retry_is_refused_saying_why() {
    let server = server(1).await;
    let chunks = futures::stream::iter([Ok(Bytes::from_static(b"part one, ")), Ok(Bytes::from_static(b"part two"))]);
    let body = Multipart::new().file("attachment", &FilePart::stream(chunks, Some(18)).file_name("log.txt"), None);
    let error = client(&server.uri(), Auth::none()).send(upload(body)).await.unwrap_err();
    let Error::Api(api_error) = &error else { panic!("{error:?}") };
    assert_eq!(api_error.status().as_u16(), 429);
    assert!(error.to_string().contains("one-shot source and cannot be sent again"), "{error}");
    let sent = bodies(&server).await;
    assert_eq!(sent.len(), 1, "not retried");
    assert!(
        sent[0]
            .contains("filename=\"log.txt\"\r\nContent-Type: application/octet-stream\r\n\r\npart one, part two\r\n")
    );
}

#[tokio::test]
async fn a_file_that_does_not_open_is_an_invalid_request_naming_the_part_and_path() {
    let server = server(0).await;
    let body = Multipart::new().file("attachment", &FilePart::path("/nonexistent/secgen/report.csv"), None);
    let error = client(&server.uri(), Auth::none()).send(upload(body)).await.unwrap_err();
    let text = error.to_string();
    assert!(matches!(error, Error::InvalidRequest { .. }), "{error:?}");
    assert!(
        text.contains("addAttachment")
            && text.contains("`attachment`")
            && text.contains("/nonexistent/secgen/report.csv"),
        "{text}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
}
