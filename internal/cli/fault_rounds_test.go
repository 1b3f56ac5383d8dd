//go:build !integration

package cli

// faultRounds is how many kills of each kind TestKilledWritesLeaveNothingBehind makes: a few
// in the everyday run, twenty under the integration tag (.ci/run).
const faultRounds = 2
