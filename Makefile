# SPDX-License-Identifier: GPL-2.0
# xneigh: one non-recursive Makefile. `make help` lists the targets.
#
#   bpf/xneigh.bpf.c --clang -target bpf--> build/xneigh.tmp.o
#                    --bpftool gen object--> build/xneigh.bpf.o   (normalised, BTF)
#                    --bpftool gen skeleton--> build/xneigh.skel.h (name xneigh)
#   user/lib + user/xneighd --> build/xneighd
#   user/lib + user/xneigh  --> build/xneigh
#   user/lib + tests/unit   --> build/tests/test_*

.DELETE_ON_ERROR:
.SECONDARY:
.SUFFIXES:

BUILD      ?= build
CLANG      ?= clang
CC         ?= gcc
BPFTOOL    ?= bpftool
PKG_CONFIG ?= pkg-config

ifeq ($(V),1)
Q :=
msg =
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

# Debian bookworm packages that building, testing and the demo use.
DEB_PACKAGES := clang llvm libbpf-dev bpftool libxdp-dev xdp-tools libmnl-dev \
	libcmocka-dev libelf-dev zlib1g-dev pkg-config make gcc iproute2 nftables \
	ethtool tcpdump iputils-arping iputils-ping ndisc6 procps kmod jq \
	libclang-rt-dev

LIBS_PC    := libbpf libxdp libmnl
# Evaluated lazily so `make deps` works before pkg-config files exist.
PC_CFLAGS   = $(shell $(PKG_CONFIG) --cflags $(LIBS_PC) 2>/dev/null)
PC_LIBS     = $(shell $(PKG_CONFIG) --libs $(LIBS_PC) 2>/dev/null)
CMOCKA_LIBS = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

ARCH := $(shell uname -m | sed 's/x86_64/x86/; s/aarch64/arm64/; s/ppc64le/powerpc/; s/mips.*/mips/; s/riscv64/riscv/')

# The -idirafter trick: let `clang -target bpf` find asm/types.h and friends.
CLANG_BPF_SYS_INCLUDES = $(shell $(CLANG) -v -E - </dev/null 2>&1 \
	| sed -n '/<...> search starts here:/,/End of search list./{ s| \(/.*\)|-idirafter \1|p }')

BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Wno-unused-function \
	-Ivmlinux -Iinclude -Ibpf
USER_CFLAGS := -O2 -g -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers \
	-std=gnu11 -D_GNU_SOURCE -Iinclude -Iuser/lib -I$(BUILD)
USER_LDLIBS = $(PC_LIBS) -lelf -lz -lpthread

BPF_SRC    := bpf/xneigh.bpf.c
BPF_HDRS   := $(wildcard bpf/lib/*.h) $(wildcard include/xneigh/*.h)
BPF_OBJ    := $(BUILD)/xneigh.bpf.o
SKEL       := $(BUILD)/xneigh.skel.h

LIB_SRCS   := $(wildcard user/lib/*.c)
LIB_OBJS   := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRCS))
LIB_HDRS   := $(wildcard user/lib/*.h) $(wildcard include/xneigh/*.h)
D_SRCS     := $(wildcard user/xneighd/*.c)
D_OBJS     := $(patsubst %.c,$(BUILD)/obj/%.o,$(D_SRCS))
# xneighd's modules without main(): unit tests link them to test pure logic.
D_LIBOBJS  := $(filter-out $(BUILD)/obj/user/xneighd/main.o,$(D_OBJS))
C_SRCS     := $(wildcard user/xneigh/*.c)
C_OBJS     := $(patsubst %.c,$(BUILD)/obj/%.o,$(C_SRCS))

# tests/unit/test_*.c are test programs; the other .c files there are shared helpers.
UT_SRCS    := $(wildcard tests/unit/test_*.c)
UT_HELPERS := $(filter-out $(UT_SRCS),$(wildcard tests/unit/*.c))
UT_HOBJS   := $(patsubst %.c,$(BUILD)/obj/%.o,$(UT_HELPERS))
UT_BINS    := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UT_SRCS))

PROGS := $(BUILD)/xneighd $(BUILD)/xneigh $(BUILD)/xneigh-fwd
# xneigh-fwd: the XDP forwarder (bpf/xneigh_fwd.bpf.c) and its loader.
FWD_BPF_OBJ := $(BUILD)/xneigh_fwd.bpf.o
FWD_SKEL   := $(BUILD)/xneigh_fwd.skel.h
FWD_SRCS   := $(wildcard user/xneigh-fwd/*.c)
FWD_OBJS   := $(patsubst %.c,$(BUILD)/obj/%.o,$(FWD_SRCS))
# The README's example user of include/xneigh/resolve.h, built by `make`.
RESOLVE_EXAMPLE := $(BUILD)/tests/resolve_example.bpf.o
BENCH := $(BUILD)/xneigh-bench
BENCH_SRCS := $(wildcard tests/bench/*.c)
BENCH_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(BENCH_SRCS))
# The differential tester (tests/diff/*.c): the kernel as the oracle.
DIFF := $(BUILD)/xneigh-diff
DIFF_SRCS := $(wildcard tests/diff/*.c)
DIFF_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(DIFF_SRCS))
# The flood driver of tests/netns/test_flood.sh (tests/reliability/flood.c).
FLOOD := $(BUILD)/xneigh-flood
FLOOD_OBJS := $(BUILD)/obj/tests/reliability/flood.o
# The request load of tests/netns/test_crash_upgrade.sh (tests/reliability/reqload.c).
REQLOAD := $(BUILD)/xneigh-reqload
REQLOAD_OBJS := $(BUILD)/obj/tests/reliability/reqload.o
# The "new build" test_crash_upgrade.sh upgrades a running data plane to: xneighd
# again, its BPF object compiled for another instruction set (-mcpu=v2: the
# jump-if-less family of jumps), so the programs differ instruction by instruction.
NEXT_DIR := $(BUILD)/next
NEXT_XNEIGHD := $(NEXT_DIR)/xneighd

# Small BPF programs used only by tests and labs (tests/bpf/NAME.bpf.c).
TEST_BPF_SRCS := $(wildcard tests/bpf/*.bpf.c)
TEST_BPF_OBJS := $(patsubst tests/bpf/%.bpf.c,$(BUILD)/tests/%.bpf.o,$(TEST_BPF_SRCS))

.PHONY: all
all: $(SKEL) $(PROGS) $(RESOLVE_EXAMPLE)

.PHONY: help
help:
	@echo 'xneigh make targets:'
	@echo '  all (default)  build $(BUILD)/xneigh.bpf.o, its skeleton, $(BUILD)/xneighd, $(BUILD)/xneigh,'
	@echo '                 $(BUILD)/xneigh-fwd and the resolve.h example'
	@echo '  deps           install the Debian packages the project needs (only those missing)'
	@echo '  test           deps + build + run every test (unit and network-namespace)'
	@echo '  unit           build and run the BPF_PROG_TEST_RUN unit tests only'
	@echo '  demo           deps + build + run the two-namespace veth lab'
	@echo '  bench          deps + build + benchmarks: prints figures and targets, writes $(BUILD)/bench.json'
	@echo '  conformance    the differential suite against the kernel, with the full corpus'
	@echo '  fuzz           libFuzzer campaign over xn_xdp/xn_tc_in/xn_tc_out [FUZZ_RUNS=N] [FUZZ_SECONDS=S]'
	@echo '  vmlinux        regenerate vmlinux/vmlinux.h from /sys/kernel/btf/vmlinux'
	@echo '  clean          remove $(BUILD)/'
	@echo 'Variables: V=1 shows full commands; BUILD=dir changes the output directory.'

# ---- dependencies ----------------------------------------------------------

.PHONY: deps
deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' \
			|| missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "  DEPS     installing:$$missing"; \
		if [ "$$(id -u)" != 0 ]; then echo "make deps: must run as root to install:$$missing" >&2; exit 1; fi; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null \
			|| { echo "make deps: apt-get install failed for:$$missing" >&2; exit 1; }; \
	fi

# ---- vmlinux.h ----------------------------------------------------------------

.PHONY: vmlinux
vmlinux:
	$(call msg,GEN,vmlinux/vmlinux.h)
	$(Q)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > vmlinux/vmlinux.h.tmp
	$(Q)mv vmlinux/vmlinux.h.tmp vmlinux/vmlinux.h

# ---- BPF object and skeleton ------------------------------------------------------

$(BUILD)/xneigh.tmp.o: $(BPF_SRC) $(BPF_HDRS) vmlinux/vmlinux.h | $(BUILD)
	$(call msg,CLANG,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) $(CLANG_BPF_SYS_INCLUDES) -c $< -o $@

$(BPF_OBJ): $(BUILD)/xneigh.tmp.o
	$(call msg,GEN-OBJ,$@)
	$(Q)$(BPFTOOL) gen object $@ $<

$(BUILD)/xneigh_fwd.tmp.o: bpf/xneigh_fwd.bpf.c $(BPF_HDRS) vmlinux/vmlinux.h | $(BUILD)
	$(call msg,CLANG,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) $(CLANG_BPF_SYS_INCLUDES) -c $< -o $@

$(FWD_BPF_OBJ): $(BUILD)/xneigh_fwd.tmp.o
	$(call msg,GEN-OBJ,$@)
	$(Q)$(BPFTOOL) gen object $@ $<

$(FWD_SKEL): $(FWD_BPF_OBJ)
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name xneigh_fwd > $@

$(FWD_OBJS): $(FWD_SKEL)

$(SKEL): $(BPF_OBJ)
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name xneigh > $@

# ---- user space ---------------------------------------------------------------------

# -MMD: every object also depends on the headers it actually includes.
$(BUILD)/obj/%.o: %.c $(LIB_HDRS) $(SKEL)
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) $(USER_CFLAGS) $(PC_CFLAGS) -MMD -MP -c $< -o $@

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

$(BUILD)/xneighd: $(D_OBJS) $(LIB_OBJS) | $(BUILD)
	$(call msg,LINK,$@)
	$(Q)$(CC) -o $@ $^ $(USER_LDLIBS)

$(BUILD)/xneigh: $(C_OBJS) $(LIB_OBJS) | $(BUILD)
	$(call msg,LINK,$@)
	$(Q)$(CC) -o $@ $^ $(USER_LDLIBS)

$(BUILD)/xneigh-fwd: $(FWD_OBJS) $(LIB_OBJS) | $(BUILD)
	$(call msg,LINK,$@)
	$(Q)$(CC) -o $@ $^ $(USER_LDLIBS)

$(BENCH): $(BENCH_OBJS) $(LIB_OBJS) | $(BUILD)
	$(call msg,LINK,$@)
	$(Q)$(CC) -o $@ $^ $(USER_LDLIBS)

$(DIFF): $(DIFF_OBJS) $(LIB_OBJS) | $(BUILD)
	$(call msg,LINK,$@)
	$(Q)$(CC) -o $@ $^ $(USER_LDLIBS)

$(FLOOD): $(FLOOD_OBJS) $(LIB_OBJS) | $(BUILD)
	$(call msg,LINK,$@)
	$(Q)$(CC) -o $@ $^ $(USER_LDLIBS)
# the injector shares its state's layout with the driver
$(BUILD)/tests/flood_inject.bpf.o: tests/reliability/flood.h

$(REQLOAD): $(REQLOAD_OBJS) $(LIB_OBJS) | $(BUILD)
	$(call msg,LINK,$@)
	$(Q)$(CC) -o $@ $^ $(USER_LDLIBS)

$(NEXT_DIR)/xneigh.tmp.o: $(BPF_SRC) $(BPF_HDRS) vmlinux/vmlinux.h
	@mkdir -p $(@D)
	$(call msg,CLANG,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -mcpu=v2 $(CLANG_BPF_SYS_INCLUDES) -c $< -o $@

$(NEXT_DIR)/xneigh.bpf.o: $(NEXT_DIR)/xneigh.tmp.o
	$(call msg,GEN-OBJ,$@)
	$(Q)$(BPFTOOL) gen object $@ $<

$(NEXT_DIR)/xneigh.skel.h: $(NEXT_DIR)/xneigh.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name xneigh > $@

# main.c is the only file that includes the skeleton: -I$(NEXT_DIR) first
$(NEXT_DIR)/main.o: user/xneighd/main.c $(LIB_HDRS) $(wildcard user/xneighd/*.h) \
		    $(NEXT_DIR)/xneigh.skel.h $(SKEL)
	$(call msg,CC,$@)
	$(Q)$(CC) -I$(NEXT_DIR) $(USER_CFLAGS) $(PC_CFLAGS) -c $< -o $@

$(NEXT_XNEIGHD): $(NEXT_DIR)/main.o $(D_LIBOBJS) $(LIB_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) -o $@ $^ $(USER_LDLIBS)

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(UT_HOBJS) $(LIB_OBJS) $(D_LIBOBJS)
	@mkdir -p $(@D)
	$(call msg,LINK,$@)
	$(Q)$(CC) -o $@ $^ $(USER_LDLIBS) $(CMOCKA_LIBS)

$(BUILD)/tests/%.bpf.o: tests/bpf/%.bpf.c $(BPF_HDRS) vmlinux/vmlinux.h
	@mkdir -p $(@D)
	$(call msg,CLANG,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) $(CLANG_BPF_SYS_INCLUDES) -c $< -o $@.tmp
	$(Q)$(BPFTOOL) gen object $@ $@.tmp && rm -f $@.tmp

$(BUILD):
	@mkdir -p $@

# ---- tests and demo ------------------------------------------------------------------

.PHONY: test-build
test-build: $(SKEL) $(PROGS) $(UT_BINS) $(TEST_BPF_OBJS) $(if $(DIFF_SRCS),$(DIFF)) $(FLOOD) \
	    $(REQLOAD) $(NEXT_XNEIGHD)

.PHONY: test
test: deps
	@$(MAKE) --no-print-directory test-build
	$(Q)BUILD=$(BUILD) tests/run.sh

.PHONY: unit
unit: test-build
	$(Q)BUILD=$(BUILD) tests/run.sh unit

.PHONY: bench
bench: deps
	@$(MAKE) --no-print-directory all $(TEST_BPF_OBJS) $(BENCH)
	$(Q)BUILD=$(BUILD) $(BENCH)

.PHONY: conformance
conformance: deps
	@$(MAKE) --no-print-directory test-build
	$(Q)BUILD=$(BUILD) XN_DIFF_CORPUS=full NETNS_TIMEOUT=1800 tests/run.sh netns test_differential

.PHONY: demo
demo: deps
	@$(MAKE) --no-print-directory all $(TEST_BPF_OBJS)
	$(Q)BUILD=$(BUILD) tests/demo.sh

# ---- fuzzing the data plane (tests/fuzz) ------------------------------------
# A libFuzzer harness (clang -fsanitize=fuzzer; libFuzzer is in Debian's
# libclang-rt-dev) that runs mutated frames through the programs with the unit
# tests' lab and checks invariants after every run. The seeds are generated
# from the unit fixtures (every tests/unit/test_*.c that calls fx_run_table(),
# compiled with its main() renamed). `make fuzz` runs a campaign bounded by
# FUZZ_RUNS inputs (0: no bound) and FUZZ_SECONDS; `make test` runs a short one
# (tests/netns/test_fuzz_short.sh).
FUZZ_RUNS    ?= 0
FUZZ_SECONDS ?= 300
FUZZ_CC      ?= $(CLANG)
FUZZ         := $(BUILD)/fuzz/xneigh-fuzz
FUZZ_SEEDGEN := $(BUILD)/fuzz/xneigh-fuzz-seeds
FUZZ_SEEDS   := $(BUILD)/fuzz/seeds/.done
FUZZ_SRCS    := tests/fuzz/fuzz_dataplane.c tests/fuzz/oracle.c tests/fuzz/world.c
FUZZ_OBJS    := $(patsubst %.c,$(BUILD)/fuzz/obj/%.o,$(FUZZ_SRCS))
FUZZ_CFLAGS   = $(USER_CFLAGS) $(PC_CFLAGS) -Itests/unit -fsanitize=fuzzer,address
FUZZ_FX_SRCS := $(shell grep -l fx_run_table tests/unit/test_*.c 2>/dev/null)
FUZZ_FX_OBJS := $(patsubst tests/unit/%.c,$(BUILD)/fuzz/obj/fx/%.o,$(FUZZ_FX_SRCS))
FUZZ_FX_LIST := $(BUILD)/fuzz/fx_mains.h

$(BUILD)/obj/tests/fuzz/%.o: USER_CFLAGS += -Itests/unit -I$(BUILD)/fuzz

$(BUILD)/fuzz/obj/%.o: %.c $(LIB_HDRS) $(SKEL) $(wildcard tests/fuzz/*.h tests/unit/*.h)
	@mkdir -p $(@D)
	$(call msg,CC-FUZZ,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ): $(FUZZ_OBJS) $(BUILD)/obj/tests/unit/lab.o $(BUILD)/obj/tests/unit/pkt.o
	$(call msg,LINK,$@)
	$(Q)$(FUZZ_CC) -fsanitize=fuzzer,address -o $@ $^ $(USER_LDLIBS)

# The list of fixture files, rewritten only when it changes.
.PHONY: fuzz-fx-list
$(FUZZ_FX_LIST): fuzz-fx-list
	@mkdir -p $(@D)
	@printf '#define XN_FX_MAINS %s\n' "$(foreach f,$(FUZZ_FX_SRCS),X($(basename $(notdir $(f)))))" \
		> $@.tmp && { cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@; }

$(BUILD)/fuzz/obj/fx/%.o: tests/unit/%.c $(LIB_HDRS) $(SKEL) $(wildcard tests/unit/*.h)
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) $(USER_CFLAGS) $(PC_CFLAGS) -Dmain=xn_fx_main_$* -c $< -o $@

$(BUILD)/obj/tests/fuzz/seeds.o: $(FUZZ_FX_LIST)

$(FUZZ_SEEDGEN): $(BUILD)/obj/tests/fuzz/seeds.o $(BUILD)/obj/tests/fuzz/world.o $(FUZZ_FX_OBJS) \
		 $(BUILD)/obj/tests/unit/lab.o $(BUILD)/obj/tests/unit/pkt.o
	$(call msg,LINK,$@)
	$(Q)$(CC) -o $@ $^ $(USER_LDLIBS) $(CMOCKA_LIBS)

$(FUZZ_SEEDS): $(FUZZ_SEEDGEN)
	$(Q)rm -rf $(@D) && mkdir -p $(@D)
	$(Q)$(FUZZ_SEEDGEN) $(@D) && touch $@

.PHONY: fuzz-build
fuzz-build: $(FUZZ) $(FUZZ_SEEDS)

test-build: fuzz-build

.PHONY: fuzz
fuzz: deps
	@$(MAKE) --no-print-directory fuzz-build
	$(Q)BUILD=$(BUILD) tests/fuzz/run.sh $(FUZZ_RUNS) $(FUZZ_SECONDS)

.PHONY: clean
clean:
	$(call msg,CLEAN,$(BUILD))
	$(Q)rm -rf $(BUILD)
