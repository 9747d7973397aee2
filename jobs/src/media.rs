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

/// The content type of image bytes, by their magic number.
pub fn content_type(bytes: &[u8]) -> &'static str {
    match bytes {
        [0x89, b'P', b'N', b'G', ..] => "image/png",
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
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
        ] => "image/webp",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn local_objects_round_trip_and_missing_ones_are_none() {
        let dir = std::env::temp_dir().join(format!("igny8-media-{}", uuid::Uuid::new_v4()));
        let m = MediaStore::local(&dir).unwrap();
        m.put("a/b.png", vec![0x89, b'P', b'N', b'G', 1, 2])
            .await
            .unwrap();
        let got = m.get("a/b.png").await.unwrap().unwrap();
        assert_eq!(content_type(&got), "image/png");
        assert!(dir.join("a/b.png").exists());
        assert_eq!(m.get("a/missing.png").await.unwrap(), None);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
