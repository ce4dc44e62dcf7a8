/* bcryptprimitives.dll for Wine 8, which lacks it: Rust's std (1.78+)
 * imports ProcessPrng from it for its random numbers (HashMap seeds).
 * Implemented with RtlGenRandom (advapi32!SystemFunction036).
 * Built by scripts/windows-test.sh with mingw; used only under Wine. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
