# Anker: entry points. `make help` lists them.
TOP := $(CURDIR)
export TOP
T ?=
CMD ?=
KERNEL ?= test

.PHONY: all help deps kernel kernel-bench tools check check-llfree run bench patches clean distclean fuzz selftests deb check-deb
FLAVOUR ?= vm
MINUTES ?= 30
KASAN ?= 0

all: kernel tools

help:
	@echo "make run [CMD='...'] [KERNEL=test|bench]  build what is missing, boot, anker-info, shell or CMD"
	@echo "make check [T=name]       unit tests + test kernel + VM tests + KUnit; one summary line"
	@echo "make check KASAN=1        the same on the KASAN kernel (build/kernel-kasan)"
	@echo "make check-llfree [T=..]  the same on the LLFree page-allocator kernel (build/kernel-llfree)"
	@echo "make fuzz [MINUTES=30]    fuzz Anker's syscalls and vmcopy in the guest; bench/results/fuzz.md"
	@echo "make selftests            upstream mm/cgroup selftests, Anker kernel vs no-Anker kernel"
	@echo "make bench                benchmarks (bench/*), results in bench/results/"
	@echo "make kernel               the test kernel (debug options) in build/kernel-test"
	@echo "make kernel-bench         the benchmark kernel (no debug options) in build/kernel-bench"
	@echo "make tools                libanker and the anker-* tools (needs the kernel's headers)"
	@echo "make deb [FLAVOUR=vm|vm-bench|server]  Debian packages of the kernel and tools in build/deb/"
	@echo "make check-deb            make deb, dpkg -i into a debootstrap root, boot it, dpkg -r; bench/results/deb.md"
	@echo "make patches              regenerate kernel/patches/ from edits in build/linux"
	@echo "make deps                 install the Debian packages the project needs"
	@echo "make clean                remove build/ except the kernel source tree"
	@echo "make distclean            remove build/ entirely"

deps:
	scripts/deps.sh all

kernel:
	scripts/build-kernel.sh test

kernel-bench:
	scripts/build-kernel.sh bench

build/usr/include/linux/anker.h:
	scripts/build-kernel.sh $(KERNEL)

TOOLS := $(sort $(dir $(wildcard tools/*/Makefile)))
tools: build/usr/include/linux/anker.h
	$(MAKE) -C tools/libanker
	@set -e; for d in $(filter-out tools/libanker/,$(TOOLS)); do $(MAKE) -C $$d; done

check:
	KASAN=$(KASAN) scripts/check.sh $(T)

# make check on the LLFree kernel (build/kernel-llfree, kernel/configs/llfree.config)
check-llfree:
	LLFREE=1 scripts/check.sh $(T)

deb:
	FLAVOUR=$(FLAVOUR) scripts/build-deb.sh all

check-deb:
	scripts/check-deb.sh

fuzz:
	MINUTES=$(MINUTES) KASAN=$(KASAN) scripts/fuzz.sh

selftests:
	scripts/selftests.sh

# CMD reaches the guest's shell as typed: $(value CMD) is not expanded by
# make (so $VAR, $? and $$ stay), and CMD is not exported, as make would
# expand it for the environment.
unexport CMD
run:
	@scripts/build-kernel.sh $(KERNEL)
	@$(MAKE) -s tools
	@cmd='$(subst ','\'',$(value CMD))'; if [ -n "$$cmd" ]; then \
		scripts/vm-run -k $(KERNEL) -c "$$cmd"; \
	elif [ -t 0 ]; then \
		scripts/vm-run -k $(KERNEL) -i -c 'anker-info; echo; exec bash -l'; \
	else \
		scripts/vm-run -k $(KERNEL) -- anker-info; \
	fi

BENCHES := $(sort $(dir $(wildcard bench/*/Makefile)))
bench: kernel-bench
	@$(MAKE) -s tools KERNEL=bench
	@set -e; for d in $(BENCHES); do echo "bench: $$d"; $(MAKE) -C $$d bench; done

patches:
	scripts/save-patches.sh

clean:
	find build -mindepth 1 -maxdepth 1 ! -name linux -exec rm -rf {} +

distclean:
	rm -rf build
