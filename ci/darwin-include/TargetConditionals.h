/* Stand-in for the macOS SDK's header, enough for ring's C code to compile under
   `cargo check` for an Apple target on Linux (ci/cross.sh); nothing built with it runs. */
#pragma once
#define TARGET_OS_MAC 1
#define TARGET_OS_OSX 1
#define TARGET_OS_IPHONE 0
#define TARGET_OS_IOS 0
#define TARGET_OS_TV 0
#define TARGET_OS_WATCH 0
#define TARGET_OS_SIMULATOR 0
#define TARGET_OS_EMBEDDED 0
