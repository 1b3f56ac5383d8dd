//go:build integration

package cli

const faultRounds = 20
