import type { VisitorCatalogue } from './en.js';

export const pl: VisitorCatalogue = {
  launcherRegion: 'Czat',
  launcherOpen: 'Otwórz czat',
  launcherUnread: 'Otwórz czat (nieprzeczytane: {n})',
  prechatConsent:
    'Zgadzam się, aby podane tu dane zostały użyte do udzielenia mi odpowiedzi, zgodnie z polityką prywatności.',
  handoff: 'Przekazuję tę rozmowę konsultantowi. Zostań tutaj: ktoś z zespołu odpowie na tym czacie.',
  handoffAction: 'Porozmawiaj z konsultantem',
  ratingPrompt: 'Jak nam poszło? Oceń tę rozmowę w skali od 1 do 5.',
  awayUntil: 'Naszego zespołu nie ma teraz na miejscu. Ktoś odpowie od {day}, godz. {time} ({zone}).',
  awayNoHours:
    'Naszego zespołu nie ma teraz na miejscu i nie ma zaplanowanych godzin pracy; ktoś odpowie najszybciej, jak to możliwe.',
  emailKnown: 'Mamy Twój adres e-mail i odpowiemy również tam.',
  emailOffer:
    'Jeśli zostawisz tu swój adres e-mail, odpowiemy również mailowo. Użyjemy go tylko do odpowiedzi na to zapytanie.',
  emailThanks: 'Dziękujemy. Odpowiemy również na adres {email}.',
  chooseOption: 'Wybierz jedną z opcji poniżej.',
  skip: 'Pomiń',
  suggestions: 'Nie jestem pewien, czy znam odpowiedź. Czy chodzi o któryś z tych tematów?',
  noAnswer: 'Niestety nie znalazłem odpowiedzi. Spróbuj zapytać inaczej albo porozmawiaj z konsultantem.',
  retryEmail: 'To nie wygląda na adres e-mail. Wpisz go w formacie nazwa@example.com.',
  retryPhone: 'To nie wygląda na numer telefonu. Użyj cyfr, opcjonalnie z + na początku.',
  retryOrderNumber: 'To nie wygląda na numer zamówienia. Ma od 3 do 40 liter, cyfr lub myślników.',
  retryText: 'Odpowiedz, używając najwyżej {max} znaków.',
  mailSubjectReplies: 'Nowa odpowiedź w Twojej rozmowie',
  mailSubjectFollowUp: 'Odpowiedź w Twojej rozmowie',
  mailSubjectTranscript: 'Zapis Twojej rozmowy',
  mailIntroTranscript: 'Oto zapis rozmowy, zgodnie z Twoją prośbą.',
  mailIntroAnswerByMail:
    'Masz odpowiedź w swojej rozmowie. Odpowiedz na tę wiadomość e-mail, aby napisać do nas.',
  mailIntroAnswerInChat: 'Masz odpowiedź w swojej rozmowie. Otwórz czat na stronie, aby napisać do nas.',
  mailReplyMarker: '##- Napisz odpowiedź nad tą linią -##',
  mailYou: 'Ty',
  mailFile: '[plik: otwórz czat, aby go zobaczyć]',
  mailStop: 'Zrezygnuj z tych e-maili',
  callStartedAudio: '{agent} rozpoczyna połączenie głosowe.',
  callStartedVideo: '{agent} rozpoczyna połączenie wideo.',
  callAccepted: 'Połączenie zostało odebrane.',
  callDeclined: 'Połączenie zostało odrzucone.',
  callMissed: 'Nieodebrane połączenie.',
  callEnded: 'Połączenie zakończyło się po {duration}.',
};
