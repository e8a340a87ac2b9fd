import { debianRootfs, rootfsFile, type RootfsRecipe } from './debian-rootfs.js';

/** The login user of a fresh host, as on Debian's cloud images: passwordless sudo. */
export const FRESH_USER = 'debian';
/** A second user whose sudo asks for a password, for become with a password. */
export const FRESH_OPS_USER = 'ops';
export const FRESH_OPS_PASSWORD = 'ops-lab-sudo-pw';

/**
 * sshd as a VPS provider sets it up: keys only, no root login. The host key is mounted per host at
 * start, so the image carries none and every host has its own.
 */
const SSHD_CONF = [
  'PermitRootLogin no',
  'PasswordAuthentication no',
  'KbdInteractiveAuthentication no',
  'HostKey /etc/ssh/ssh_host_ed25519_key',
  'MaxSessions 100',
  'MaxStartups 200:30:400',
  'UseDNS no',
].join('\\n');

const RECIPE: RootfsRecipe = {
  name: 'fresh',
  packages: ['systemd', 'systemd-sysv', 'dbus', 'openssh-server', 'sudo'],
  hooks: [
    `chroot "$1" useradd -m -s /bin/bash ${FRESH_USER}`,
    `chroot "$1" useradd -m -s /bin/bash -G sudo ${FRESH_OPS_USER}`,
    `echo '${FRESH_OPS_USER}:${FRESH_OPS_PASSWORD}' | chroot "$1" chpasswd`,
    `echo '${FRESH_USER} ALL=(ALL) NOPASSWD:ALL' > "$1"/etc/sudoers.d/${FRESH_USER} && chmod 0440 "$1"/etc/sudoers.d/${FRESH_USER}`,
    `for u in ${FRESH_USER} ${FRESH_OPS_USER}; do install -d -m 0700 -o $(chroot "$1" id -u $u) -g $(chroot "$1" id -g $u) "$1"/home/$u/.ssh; done`,
    'rm -f "$1"/etc/ssh/ssh_host_*',
    `printf '${SSHD_CONF}\\n' > "$1"/etc/ssh/sshd_config.d/lab.conf`,
    // No console to log in on, and the lab's clock is the machine's.
    'chroot "$1" systemctl mask getty@tty1.service serial-getty@.service console-getty.service systemd-timesyncd.service',
  ],
};

/** Each tarball version its own image, so a changed recipe never runs an old image. */
export function freshImage(cwd = process.cwd()): string {
  return `localhost/vsa-fresh:${rootfsFile(RECIPE, cwd).key}`;
}

/** `podman import --change` arguments: systemd as PID 1, stopped as systemd wants. */
export const FRESH_IMAGE_CHANGES = ['CMD ["/sbin/init"]', 'STOPSIGNAL SIGRTMIN+3'];

/** Debian 12 with systemd, sshd and sudo (`.lab/cache/vsa-fresh-bookworm-KEY.tar`), about 20 s to build. */
export function freshRootfs(cwd = process.cwd()): Promise<string> {
  return debianRootfs(RECIPE, cwd);
}
