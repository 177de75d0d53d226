// SPDX-License-Identifier: GPL-2.0-only
/*
 * fwimage: post-link step of the firmware. Fills the image header of a
 * linked firmware ELF with the addresses, size and CRCs the boot ROM
 * checks, and writes deliberately broken copies for the lab's tests.
 *
 *   fwimage ELF                          fill the header in place
 *   fwimage --show ELF                   print the header and verify it
 *   fwimage --corrupt magic|crc IN OUT   copy IN to OUT with a bad header
 */
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <amprelay/platform.h>
#include "common/crc32.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "fwimage writes the header in host order; it must match the little-endian target"
#endif

#define FW_BASE		(AR_WIN_REMOTE_DA + AR_FW_OFF)
#define FW_END		((uint64_t)FW_BASE + AR_FW_SIZE)
#define RUN_END		((uint64_t)AR_SSRAM1_BASE + AR_SSRAM1_SIZE)

struct image {
	const char *path;
	uint8_t *data;
	size_t size;
	Elf32_Ehdr eh;
	Elf32_Shdr shstr;
	uint32_t hdr_off;	/* file offset of the image header */
	Elf32_Phdr code;	/* the segment the boot ROM copies */
	uint32_t vectors;
};

static const char *prog = "fwimage";

static void __attribute__((noreturn, format(printf, 2, 3)))
die(const char *path, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s: ", prog, path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static int in_file(const struct image *im, uint64_t off, uint64_t len)
{
	return off <= im->size && len <= im->size - off;
}

static void read_image(struct image *im, const char *path)
{
	FILE *f = fopen(path, "rb");
	long n;

	im->path = path;
	if (!f)
		die(path, "cannot open: %s", strerror(errno));
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		die(path, "cannot size: %s", strerror(errno));
	im->size = (size_t)n;
	im->data = malloc(im->size ? im->size : 1);
	if (!im->data)
		die(path, "out of memory");
	if (fread(im->data, 1, im->size, f) != im->size)
		die(path, "read error");
	fclose(f);
}

static void write_file(const char *path, const uint8_t *data, size_t size)
{
	char tmp[4096];
	FILE *f;

	/* Write aside and rename, so a failure never leaves half a file. */
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		die(path, "path too long");
	f = fopen(tmp, "wb");
	if (!f)
		die(tmp, "cannot create: %s", strerror(errno));
	if (fwrite(data, 1, size, f) != size || fclose(f))
		die(tmp, "write error: %s", strerror(errno));
	if (rename(tmp, path))
		die(path, "cannot rename %s: %s", tmp, strerror(errno));
}

/* Table entries may sit at any file offset: copy them out, never cast. */
static void get_phdr(const struct image *im, unsigned int i, Elf32_Phdr *ph)
{
	memcpy(ph, im->data + im->eh.e_phoff + (size_t)i * sizeof(*ph), sizeof(*ph));
}

static void get_shdr(const struct image *im, unsigned int i, Elf32_Shdr *sh)
{
	memcpy(sh, im->data + im->eh.e_shoff + (size_t)i * sizeof(*sh), sizeof(*sh));
}

static const char *section_name(const struct image *im, const Elf32_Shdr *sh)
{
	const char *s = (const char *)im->data + im->shstr.sh_offset;
	uint32_t i;

	if (sh->sh_name >= im->shstr.sh_size)
		return "";
	/* The name must end inside the string table. */
	for (i = sh->sh_name; i < im->shstr.sh_size; i++)
		if (!s[i])
			return s + sh->sh_name;
	return "";
}

static int find_section(const struct image *im, const char *name, Elf32_Shdr *out)
{
	unsigned int i;

	for (i = 0; i < im->eh.e_shnum; i++) {
		get_shdr(im, i, out);
		if (!strcmp(section_name(im, out), name))
			return 0;
	}
	return -1;
}

static void parse_elf(struct image *im)
{
	const char *p = im->path;
	Elf32_Shdr sh;
	Elf32_Phdr ph;
	unsigned int i, ncode = 0;

	if (im->size < EI_NIDENT || memcmp(im->data, ELFMAG, SELFMAG))
		die(p, "not an ELF file");
	if (im->data[EI_CLASS] != ELFCLASS32 || im->data[EI_DATA] != ELFDATA2LSB)
		die(p, "not a 32-bit little-endian ELF file");
	if (im->size < sizeof(im->eh))
		die(p, "truncated ELF header");
	memcpy(&im->eh, im->data, sizeof(im->eh));
	if (im->eh.e_machine != EM_ARM)
		die(p, "not an Arm ELF file (e_machine %u)", im->eh.e_machine);
	if (im->eh.e_phentsize != sizeof(Elf32_Phdr) || !im->eh.e_phnum ||
	    !in_file(im, im->eh.e_phoff, (uint64_t)im->eh.e_phnum * sizeof(Elf32_Phdr)))
		die(p, "bad or missing program header table");
	if (im->eh.e_shentsize != sizeof(Elf32_Shdr) || !im->eh.e_shnum ||
	    !in_file(im, im->eh.e_shoff, (uint64_t)im->eh.e_shnum * sizeof(Elf32_Shdr)) ||
	    im->eh.e_shstrndx >= im->eh.e_shnum)
		die(p, "bad or missing section header table");
	get_shdr(im, im->eh.e_shstrndx, &im->shstr);
	if (!in_file(im, im->shstr.sh_offset, im->shstr.sh_size))
		die(p, "section name table outside the file");

	for (i = 0; i < im->eh.e_phnum; i++) {
		get_phdr(im, i, &ph);
		if (ph.p_type != PT_LOAD)
			continue;
		if (!in_file(im, ph.p_offset, ph.p_filesz))
			die(p, "segment %u outside the file", i);
		/* Only the code is linked away from where it is loaded. */
		if (ph.p_vaddr != ph.p_paddr) {
			im->code = ph;
			ncode++;
		}
	}
	if (ncode != 1)
		die(p, "expected one code segment (vaddr != paddr), found %u", ncode);
	if (!im->code.p_filesz || im->code.p_filesz != im->code.p_memsz)
		die(p, "code segment is empty or has bss");
	if (im->code.p_vaddr < AR_CODE_RUN_BASE ||
	    im->code.p_vaddr + (uint64_t)im->code.p_filesz > RUN_END)
		die(p, "code runs at 0x%08x+0x%x, outside [0x%08x, 0x%08llx)",
		    im->code.p_vaddr, im->code.p_filesz, AR_CODE_RUN_BASE,
		    (unsigned long long)RUN_END);
	if (im->code.p_paddr < FW_BASE ||
	    im->code.p_paddr + (uint64_t)im->code.p_filesz > FW_END)
		die(p, "code loads at 0x%08x, outside the firmware area",
		    im->code.p_paddr);

	if (find_section(im, ".image_header", &sh))
		die(p, "no .image_header section");
	if (sh.sh_type != SHT_PROGBITS || sh.sh_size < sizeof(struct ar_image_header) ||
	    !in_file(im, sh.sh_offset, sizeof(struct ar_image_header)))
		die(p, ".image_header is not a %zu-byte section with contents",
		    sizeof(struct ar_image_header));
	if (sh.sh_addr != FW_BASE + AR_IMAGE_HEADER_OFF)
		die(p, ".image_header at 0x%08x, expected 0x%08x", sh.sh_addr,
		    FW_BASE + AR_IMAGE_HEADER_OFF);
	im->hdr_off = sh.sh_offset;

	if (find_section(im, ".vectors", &sh))
		die(p, "no .vectors section");
	if (sh.sh_addr < im->code.p_vaddr ||
	    sh.sh_addr + (uint64_t)sh.sh_size > im->code.p_vaddr + (uint64_t)im->code.p_filesz)
		die(p, ".vectors is not inside the code segment");
	im->vectors = sh.sh_addr;
}

/* Build id: CRC of every loaded byte except the header itself. */
static uint32_t build_id(const struct image *im)
{
	uint32_t crc = 0, i;
	uint64_t a, b, h0 = im->hdr_off, h1 = h0 + sizeof(struct ar_image_header);
	Elf32_Phdr ph;

	for (i = 0; i < im->eh.e_phnum; i++) {
		get_phdr(im, i, &ph);
		if (ph.p_type != PT_LOAD)
			continue;
		a = ph.p_offset;
		b = a + ph.p_filesz;
		if (a < h0)
			crc = ar_crc32_update(crc, im->data + a, (b < h0 ? b : h0) - a);
		if (b > h1)
			crc = ar_crc32_update(crc, im->data + (a > h1 ? a : h1),
					      b - (a > h1 ? a : h1));
	}
	return crc;
}

static void fill_header(struct image *im)
{
	struct ar_image_header h;

	memset(&h, 0, sizeof(h));
	h.magic = AR_IMAGE_MAGIC;
	h.version = AR_IMAGE_VERSION;
	h.header_size = sizeof(h);
	h.code_load = im->code.p_paddr;
	h.code_run = im->code.p_vaddr;
	h.code_size = im->code.p_filesz;
	h.code_crc = ar_crc32(im->data + im->code.p_offset, im->code.p_filesz);
	h.vectors = im->vectors;
	h.build_id = build_id(im);
	h.header_crc = ar_crc32(&h, offsetof(struct ar_image_header, header_crc));
	memcpy(im->data + im->hdr_off, &h, sizeof(h));
}

/* Prints the header and reports (exit 1) what the boot ROM would refuse. */
static int show(struct image *im)
{
	struct ar_image_header h;
	const char *problem = NULL;

	memcpy(&h, im->data + im->hdr_off, sizeof(h));
	printf("magic       0x%08x\nversion     %u\nheader_size %u\n"
	       "code_load   0x%08x\ncode_run    0x%08x\ncode_size   %u\n"
	       "code_crc    0x%08x\nvectors     0x%08x\nbuild_id    0x%08x\n"
	       "header_crc  0x%08x\n",
	       h.magic, h.version, h.header_size, h.code_load, h.code_run,
	       h.code_size, h.code_crc, h.vectors, h.build_id, h.header_crc);
	if (h.magic != AR_IMAGE_MAGIC)
		problem = "bad magic";
	else if (h.version != AR_IMAGE_VERSION || h.header_size != sizeof(h))
		problem = "unknown version";
	else if (ar_crc32(&h, offsetof(struct ar_image_header, header_crc)) != h.header_crc)
		problem = "header checksum mismatch";
	else if (h.code_load != im->code.p_paddr || h.code_run != im->code.p_vaddr ||
		 h.code_size != im->code.p_filesz || h.vectors != im->vectors)
		problem = "header does not describe this ELF's code";
	else if (ar_crc32(im->data + im->code.p_offset, h.code_size) != h.code_crc)
		problem = "code checksum mismatch";
	else if (h.build_id != build_id(im))
		problem = "build id does not match the contents";
	if (problem) {
		fprintf(stderr, "%s: %s: %s\n", prog, im->path, problem);
		return 1;
	}
	printf("ok\n");
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: %s ELF                          fill in the image header\n"
		"       %s --show ELF                   print and verify it\n"
		"       %s --corrupt magic|crc IN OUT   write a copy with a broken header\n",
		prog, prog, prog);
	exit(2);
}

int main(int argc, char **argv)
{
	struct image im = { 0 };
	size_t field;

	if (argc == 2 && argv[1][0] != '-') {
		read_image(&im, argv[1]);
		parse_elf(&im);
		fill_header(&im);
		write_file(argv[1], im.data, im.size);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "--show")) {
		read_image(&im, argv[2]);
		parse_elf(&im);
		return show(&im);
	}
	if (argc == 5 && !strcmp(argv[1], "--corrupt")) {
		if (!strcmp(argv[2], "magic"))
			field = offsetof(struct ar_image_header, magic);
		else if (!strcmp(argv[2], "crc"))
			field = offsetof(struct ar_image_header, header_crc);
		else
			usage();
		read_image(&im, argv[3]);
		parse_elf(&im);
		/* Flip every bit of the field: wrong whatever it held. */
		for (size_t i = 0; i < 4; i++)
			im.data[im.hdr_off + field + i] ^= 0xff;
		write_file(argv[4], im.data, im.size);
		return 0;
	}
	usage();
}
