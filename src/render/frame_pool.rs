//! The window's drawing threads, apart from rayon's global pool.
//!
//! Loading or exporting keeps the global pool busy for seconds, and neither a frame's meshes
//! ([`super::egui_map`]) nor a big map's picture ([`super::map_image`]) may wait for it.

/// How many drawing threads there are.
pub const FRAME_THREADS: usize = 2;

/// The drawing threads; None if the system would not start them (the work is then done on
/// the calling thread).
pub fn frame_pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(FRAME_THREADS)
            .thread_name(|k| format!("frame-{k}"))
            .build()
            .ok()
    })
    .as_ref()
}
