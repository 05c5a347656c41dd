// SPDX-License-Identifier: LGPL-2.1-or-later
/* The system call wrappers. The numbers come from <linux/anker.h>. */
#include <errno.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "anker.h"

#ifdef ANKER_NR_vmcopy
void *vmcopy_to(void *src, size_t len, void *dst, unsigned int flags)
{
	long ret = syscall(ANKER_NR_vmcopy, (unsigned long)src, (unsigned long)len,
			   (unsigned long)dst, flags);

	return ret == -1 ? MAP_FAILED : (void *)ret;
}

long krun_read_msrs(int n_cores, bool ctr1_first, uint64_t *aperfs,
		    uint64_t *mperfs, uint64_t *ctr1s)
{
	return syscall(ANKER_NR_krun_read_msrs, n_cores, (int)ctr1_first,
		       aperfs, mperfs, ctr1s);
}

long krun_reset_msrs(int n_cores)
{
	return syscall(ANKER_NR_krun_reset_msrs, n_cores);
}

long krun_configure(int n_cores)
{
	return syscall(ANKER_NR_krun_configure, n_cores);
}
#else
/* Not x86_64: Anker's system calls do not exist. */
void *vmcopy_to(void *src, size_t len, void *dst, unsigned int flags)
{
	errno = ENOSYS;
	return MAP_FAILED;
}

long krun_read_msrs(int n_cores, bool ctr1_first, uint64_t *aperfs,
		    uint64_t *mperfs, uint64_t *ctr1s)
{
	errno = ENOSYS;
	return -1;
}

long krun_reset_msrs(int n_cores)
{
	errno = ENOSYS;
	return -1;
}

long krun_configure(int n_cores)
{
	errno = ENOSYS;
	return -1;
}
#endif

void *vmcopy(void *src, size_t len)
{
	return vmcopy_to(src, len, NULL, 0);
}
