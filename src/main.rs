fn main() {
    onboarding_wizard::start();
}
