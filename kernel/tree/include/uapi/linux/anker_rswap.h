/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Anker rswap: the wire protocol between the rswap block device (the kernel
 * client, drivers/block/rswap/) and the rmemd memory server (tools/rmemd/).
 *
 * Transport: a byte stream (TCP).  A client opens one or more connections to
 * rmemd; each connection first sends RSWAP_OP_OPEN naming a region (created
 * on first use, zero-filled; a later OPEN of the same name, on this or any
 * other connection, attaches to the same memory).  After a successful OPEN
 * the connection may send READ / WRITE / FLUSH / DISCARD / STATS requests,
 * any number in flight (pipelined); CLOSE ends it.
 *
 * Byte order: every multi-byte field is little-endian (__le16/32/64).
 * Layout: naturally aligned, no implicit padding; the sizes below are fixed
 * (RSWAP_REQ_SIZE, RSWAP_REPLY_SIZE, ...) and part of the ABI.
 *
 * Every frame starts with a header:
 *
 *   client -> server:  struct rswap_req   [+ req.length payload bytes for
 *                                            OPEN (struct rswap_open) and
 *                                            WRITE (the data)]
 *   server -> client:  struct rswap_reply [+ reply.length payload bytes:
 *                                            READ data, struct
 *                                            rswap_open_reply, struct
 *                                            rswap_stats]
 *
 * The server answers every request with exactly one reply carrying the
 * request's handle (an opaque 64-bit value chosen by the client, e.g. a
 * blk-mq tag).  Replies to the requests of one connection are sent in
 * request order by rmemd, but a client must match them by handle and treat
 * a reply for a handle it has not in flight as a fatal protocol error.
 *
 * reply.status is 0 or a negative RSWAP_E* value (equal to the Linux errno
 * of the same name, so the kernel can pass it on).  On error reply.length
 * is 0: no payload follows.  A READ reply with status 0 carries exactly
 * req.length bytes; anything else is an error for the client.
 *
 * Fatal errors (bad magic, unsupported version, length above
 * RSWAP_MAX_PAYLOAD): the server sends an error reply and closes the
 * connection, since the framing can no longer be trusted.  Other errors
 * (out-of-range offset, unknown op, ...) leave the connection usable.  An
 * unknown op is assumed to carry no payload.  A server at its client limit
 * sends one reply (op 0, handle 0, status RSWAP_EUSERS) on accepting a
 * connection, then closes it.
 *
 * Checksums: RSWAP_F_CSUM in req.flags of a WRITE says req.csum holds the
 * checksum of the payload; the server verifies it and fails the WRITE with
 * RSWAP_EBADMSG (the region unchanged) on a mismatch.  RSWAP_F_CSUM in a
 * READ request asks the server to checksum the data it sends: the reply
 * then has RSWAP_F_CSUM set and reply.csum holds it.  The checksum is
 * standard CRC-32C (Castagnoli, reflected polynomial 0x82F63B78, initial
 * value and final xor 0xFFFFFFFF; as in iSCSI/ext4).  In the kernel:
 * ~crc32c(~0, buf, len).  Check value: CRC-32C("123456789") = 0xE3069283.
 * The checksum of an empty payload is 0.
 */
#ifndef _UAPI_LINUX_ANKER_RSWAP_H
#define _UAPI_LINUX_ANKER_RSWAP_H

#include <linux/types.h>

#define RSWAP_REQ_MAGIC		0x51575352	/* "RSWQ" as le32 bytes */
#define RSWAP_REPLY_MAGIC	0x50575352	/* "RSWP" as le32 bytes */
#define RSWAP_VERSION		1

/* Largest payload of one READ or WRITE (and of any frame). */
#define RSWAP_MAX_PAYLOAD	(1024 * 1024)

/* Region names: 1..RSWAP_NAME_MAX-1 bytes of [A-Za-z0-9._-], NUL padded. */
#define RSWAP_NAME_MAX		64

/* Region sizes are multiples of this (and > 0). */
#define RSWAP_SIZE_ALIGN	4096

/* The default TCP port (rmemd --listen ADDR without a port). */
#define RSWAP_DEFAULT_PORT	7100

/* Request ops (rswap_req.op) */
enum rswap_op {
	RSWAP_OP_OPEN = 1,	/* payload struct rswap_open; reply rswap_open_reply */
	RSWAP_OP_READ = 2,	/* read [offset, offset+length); reply data */
	RSWAP_OP_WRITE = 3,	/* payload: length bytes stored at offset */
	RSWAP_OP_FLUSH = 4,	/* no-op barrier (memory is never volatile) */
	RSWAP_OP_DISCARD = 5,	/* [offset, offset+length) reads as zeroes */
	RSWAP_OP_STATS = 6,	/* reply struct rswap_stats; OPEN not needed */
	RSWAP_OP_CLOSE = 7,	/* reply, then the server closes the connection */
};

/* Flags (rswap_req.flags, rswap_reply.flags) */
#define RSWAP_F_CSUM		0x0001	/* the csum field is set / wanted */
/* CLOSE: free the region when its last connection has closed */
#define RSWAP_F_FREE		0x0002
#define RSWAP_F_ALL		(RSWAP_F_CSUM | RSWAP_F_FREE)

/* Reply status values: 0 or one of these (negative Linux errno values). */
enum rswap_status {
	RSWAP_OK = 0,
	RSWAP_ENOENT = -2,	/* OPEN with size 0 of a region that does not exist */
	RSWAP_EIO = -5,		/* server-internal failure */
	RSWAP_EEXIST = -17,	/* OPEN: region exists with another size */
	RSWAP_EINVAL = -22,	/* bad flags, name, size, reserved field not 0 */
	RSWAP_ENOSPC = -28,	/* OPEN: not enough free memory in the pool */
	RSWAP_ERANGE = -34,	/* offset/length outside the region */
	RSWAP_EPROTO = -71,	/* bad magic or version (fatal) */
	RSWAP_EBADMSG = -74,	/* WRITE payload checksum mismatch */
	RSWAP_EUSERS = -87,	/* server at its client limit */
	RSWAP_EMSGSIZE = -90,	/* length > RSWAP_MAX_PAYLOAD (fatal) */
	RSWAP_EOPNOTSUPP = -95,	/* unknown op */
	RSWAP_ENOTCONN = -107,	/* READ/WRITE/... before a successful OPEN */
};

/* Request header: 32 bytes. */
struct rswap_req {
	__le32 magic;		/* RSWAP_REQ_MAGIC */
	__u8 version;		/* RSWAP_VERSION */
	__u8 op;		/* enum rswap_op */
	__le16 flags;		/* RSWAP_F_* */
	__le64 handle;		/* echoed in the reply */
	__le64 offset;		/* byte offset in the region (READ/WRITE/DISCARD) */
	__le32 length;		/* READ: bytes wanted; WRITE/OPEN: payload bytes */
	__le32 csum;		/* WRITE with RSWAP_F_CSUM: CRC-32C of payload */
};
#define RSWAP_REQ_SIZE		32

/* Reply header: 32 bytes. */
struct rswap_reply {
	__le32 magic;		/* RSWAP_REPLY_MAGIC */
	__u8 version;		/* RSWAP_VERSION */
	__u8 op;		/* the request's op */
	__le16 flags;		/* RSWAP_F_CSUM: csum is set */
	__le64 handle;		/* the request's handle */
	__le32 status;		/* 0 or enum rswap_status (as s32) */
	__le32 length;		/* payload bytes following this header */
	__le32 csum;		/* CRC-32C of the payload if RSWAP_F_CSUM */
	__le32 reserved;	/* 0 */
};
#define RSWAP_REPLY_SIZE	32

/* OPEN request payload (req.length == RSWAP_OPEN_SIZE): 80 bytes. */
struct rswap_open {
	__le64 size;		/* region bytes; 0: attach to an existing region */
	__le32 flags;		/* 0 (none defined yet) */
	__le32 reserved;	/* 0 */
	char name[RSWAP_NAME_MAX];
};
#define RSWAP_OPEN_SIZE		80

/* Region created by this OPEN (zero-filled), rather than attached to. */
#define RSWAP_OPEN_NEW		0x1

/* OPEN reply payload: 32 bytes. */
struct rswap_open_reply {
	__le64 size;		/* region bytes */
	__le64 pool_size;	/* server's pool bytes */
	__le64 pool_free;	/* pool bytes not in any region */
	__le32 max_payload;	/* largest READ/WRITE this server takes */
	__le32 flags;		/* RSWAP_OPEN_NEW */
};
#define RSWAP_OPEN_REPLY_SIZE	32

/*
 * STATS reply payload: 128 bytes.  Server-wide counters, and those of the
 * connection's region (0 when the connection has no region open).
 */
struct rswap_stats {
	__le64 pool_size;
	__le64 pool_used;
	__le64 regions;
	__le64 clients;		/* connections open now */
	__le64 connections;	/* connections accepted since start */
	__le64 requests;
	__le64 errors;		/* error replies sent */
	__le64 bytes_read;	/* payload bytes served by READ */
	__le64 bytes_written;	/* payload bytes stored by WRITE */
	__le64 region_size;
	__le64 region_clients;
	__le64 region_bytes_read;
	__le64 region_bytes_written;
	__le64 reserved[3];
};
#define RSWAP_STATS_SIZE	128

#endif /* _UAPI_LINUX_ANKER_RSWAP_H */
