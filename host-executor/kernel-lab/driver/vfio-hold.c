// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-hold UUID: opens the mediated device UUID through VFIO, as a VM manager does, and holds it open until killed.
 * Prints "held UUID" once the device file descriptor is open, so that a script knows when the device is in use.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <linux/vfio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static int fail(const char *what)
{
	fprintf(stderr, "vfio-hold: %s: %s\n", what, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	char link[PATH_MAX], target[PATH_MAX], group_path[PATH_MAX];
	struct vfio_group_status status = { .argsz = sizeof(status) };
	int container, group, device;
	ssize_t length;

	if (argc != 2) {
		fprintf(stderr, "usage: vfio-hold UUID\n");
		return 2;
	}
	snprintf(link, sizeof(link), "/sys/bus/mdev/devices/%s/iommu_group", argv[1]);
	length = readlink(link, target, sizeof(target) - 1);
	if (length < 0)
		return fail(link);
	target[length] = '\0';
	snprintf(group_path, sizeof(group_path), "/dev/vfio/%s", basename(target));

	container = open("/dev/vfio/vfio", O_RDWR);
	if (container < 0)
		return fail("/dev/vfio/vfio");
	group = open(group_path, O_RDWR);
	if (group < 0)
		return fail(group_path);
	if (ioctl(group, VFIO_GROUP_GET_STATUS, &status) < 0)
		return fail("VFIO_GROUP_GET_STATUS");
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		fprintf(stderr, "vfio-hold: group %s is not viable\n", group_path);
		return 1;
	}
	if (ioctl(group, VFIO_GROUP_SET_CONTAINER, &container) < 0)
		return fail("VFIO_GROUP_SET_CONTAINER");
	if (ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU) < 0)
		return fail("VFIO_SET_IOMMU");
	device = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, argv[1]);
	if (device < 0)
		return fail("VFIO_GROUP_GET_DEVICE_FD");

	printf("held %s\n", argv[1]);
	fflush(stdout);
	for (;;)
		pause(); /* closing the descriptors on exit is what releases the device */
}
