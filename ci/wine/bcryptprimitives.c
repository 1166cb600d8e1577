/* Wine 8.0 (Debian 12) has no bcryptprimitives.dll, from which Rust's standard library
   (1.78 and later) imports ProcessPrng, so no Rust program starts there (c0000135).
   ci/cross.sh builds this stand-in with MinGW and puts it beside the .exe under test:
   ProcessPrng filled from advapi32's RtlGenRandom (SystemFunction036). Never shipped. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
