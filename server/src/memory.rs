//! The server's allocator: freed memory given back to the system.

/// Hands the memory freed while loading the content back to the system. Loading allocates and
/// frees far more than the snapshot keeps (sources, intermediate HTML), and allocators keep
/// freed pages unless asked: mimalloc (the server's allocator) and glibc's (C libraries').
pub fn release_freed_memory() {
    // SAFETY: mi_collect only frees mimalloc's unused pages; it touches no live allocation.
    unsafe {
        libmimalloc_sys::mi_collect(true);
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free heap pages to the kernel; it touches no live data.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// mimalloc's `mi_option_purge_delay`: option 15 of its header (`mimalloc.h`, v3, the version
/// `libmimalloc-sys` builds), which the Rust bindings name no constant for. A test checks it
/// still is (its default is 1000 ms).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// How long the allocator keeps freed pages before giving them back to the system: 10 ms
/// rather than mimalloc's second. Under a flood of pages rendered, kept and pushed out of the
/// cache, a second let freed pages pile up: peak resident memory over `.ci/flood`'s patterns at
/// 10,000 stories went from 301 MB to 242 MB (start 145 MB). Giving them back at once (0 ms)
/// cost as much again as it saved: each return is a system call that stops the other cores to
/// flush their address caches, nearly once a request; on this machine it took a page without
/// an island from 50 to 73 µs of CPU, the home page from 97 to 131. At 10 ms, the same flood
/// peaked at 203 to 258 MB (0 ms: 219 to 250) over two runs each, with 4 to 14 % more requests
/// a second.
const PURGE_DELAY_MS: std::os::raw::c_long = 10;

/// Sets the allocator's purge delay ([`PURGE_DELAY_MS`]).
pub fn tune_allocator() {
    // SAFETY: sets one of mimalloc's options; it only changes when freed pages are returned.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn option_15_is_the_allocators_purge_delay() {
        // SAFETY: reads one of mimalloc's options.
        let delay = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        assert_eq!(delay, 1000, "mimalloc's purge delay, 1000 ms by default, is option 15");
    }
}
