//! Generated images, stored through `object_store` (DESIGN §6): a local
//! directory by default (`IGNY8_MEDIA_DIR`), or an S3-compatible bucket
//! when `IGNY8_MEDIA_S3_BUCKET` is set (credentials, region and endpoint
//! from the standard `AWS_*` variables). Keys are `<account>/<image>.png`;
//! the API serves them at signed, expiring URLs.

use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct MediaStore {
    store: Arc<dyn ObjectStore>,
    /// Where it is, for logs: a directory or `s3://bucket`.
    pub location: String,
}

impl MediaStore {
    /// A local directory, created when missing.
    pub fn local(dir: &std::path::Path) -> Result<MediaStore, String> {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("media directory {}: {e}", dir.display()))?;
        let fs = LocalFileSystem::new_with_prefix(dir)
            .map_err(|e| format!("media directory {}: {e}", dir.display()))?;
        Ok(MediaStore {
            store: Arc::new(fs),
            location: dir.display().to_string(),
        })
    }

    /// An S3-compatible bucket configured from `AWS_*` variables.
    pub fn s3(bucket: &str) -> Result<MediaStore, String> {
        let s3 = AmazonS3Builder::from_env()
            .with_bucket_name(bucket)
            .build()
            .map_err(|e| format!("S3 media bucket {bucket}: {e}"))?;
        Ok(MediaStore {
            store: Arc::new(s3),
            location: format!("s3://{bucket}"),
        })
    }

    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), String> {
        let path = Path::parse(key).map_err(|e| e.to_string())?;
        self.store
            .put(&path, PutPayload::from(bytes))
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    /// The object's bytes, or `None` when there is no such object.
    pub async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, String> {
        let path = Path::parse(key).map_err(|e| e.to_string())?;
        match self.store.get(&path).await {
            Ok(r) => r
                .bytes()
                .await
                .map(|b| Some(b.to_vec()))
                .map_err(|e| e.to_string()),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.to_string()),
        }
    }
}

/// The image type of `bytes` by their magic number: PNG, JPEG, WebP or GIF.
pub fn image_type(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some("image/png"),
        [0xFF, 0xD8, 0xFF, ..] => Some("image/jpeg"),
        [
            b'R',
            b'I',
            b'F',
            b'F',
            _,
            _,
            _,
            _,
            b'W',
            b'E',
            b'B',
            b'P',
            ..,
        ] => Some("image/webp"),
        [b'G', b'I', b'F', b'8', b'7' | b'9', b'a', ..] => Some("image/gif"),
        _ => None,
    }
}

/// The content type of image bytes, by their magic number.
pub fn content_type(bytes: &[u8]) -> &'static str {
    image_type(bytes).unwrap_or("application/octet-stream")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn local_objects_round_trip_and_missing_ones_are_none() {
        let dir = std::env::temp_dir().join(format!("igny8-media-{}", uuid::Uuid::new_v4()));
        let m = MediaStore::local(&dir).unwrap();
        m.put("a/b.png", b"\x89PNG\r\n\x1a\n\x01\x02".to_vec())
            .await
            .unwrap();
        let got = m.get("a/b.png").await.unwrap().unwrap();
        assert_eq!(content_type(&got), "image/png");
        assert!(dir.join("a/b.png").exists());
        assert_eq!(m.get("a/missing.png").await.unwrap(), None);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn images_are_known_by_their_magic_and_nothing_else_is_one() {
        assert_eq!(image_type(b"GIF89a\x01\x00"), Some("image/gif"));
        assert_eq!(image_type(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(image_type(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        for not in [
            &b"<html>"[..],
            b"{\"ok\":1}",
            b"\x89PNG",
            b"",
            b"RIFF\0\0\0\0WAVE",
        ] {
            assert_eq!(image_type(not), None);
        }
    }
}
