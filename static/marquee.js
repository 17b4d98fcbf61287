// Marquee's one script. Every page works without it; it only makes some
// forms feel instant.
