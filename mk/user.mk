# Common settings for Anker's user-space programs (tools, tests, benchmarks).
# Include from a Makefile anywhere in the repository:
#   include $(TOP)/mk/user.mk      (TOP is passed down by the top Makefile)
# Uses the uapi headers of our own kernel (build/usr/include, made by
# headers_install) and libanker; never a hand-written copy of them.
TOP ?= $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)
CC ?= cc
CFLAGS ?= -O2 -g
ANKER_CFLAGS := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter \
	-isystem $(TOP)/build/usr/include -I$(TOP)/tools/libanker/include
LIBANKER := $(TOP)/build/tools/libanker/libanker.a
ANKER_LIBS := $(LIBANKER)
